import { busy } from '../lib/errors.ts'

export interface ThrottleOptions {
  now: () => number
  /** Failures allowed before any waiting is imposed. */
  freeFailures: number
  /** The first lock lasts this long; each further failure doubles it. */
  baseMs: number
  maxMs: number
  /** A key with no failure for this long starts from zero again. */
  forgetMs: number
  /** Bounds memory when someone sprays usernames or addresses. */
  maxKeys: number
}

export interface Throttle {
  /** Throws 'busy' with the seconds to wait while the key is locked. */
  check(key: string): void
  fail(key: string): void
  reset(key: string): void
}

interface Entry {
  failures: number
  lastFailure: number
  lockedUntil: number
}

// Exponential backoff kept in memory: cheap to consult on every attempt, and a restart forgiving
// everyone is acceptable for a household server. Attempts refused while locked do not count, so an
// attacker cannot keep the rightful owner locked out longer than maxMs after they stop.
export function createThrottle(opts: ThrottleOptions): Throttle {
  const entries = new Map<string, Entry>()

  const current = (key: string): Entry | undefined => {
    const e = entries.get(key)
    if (e && opts.now() - e.lastFailure > opts.forgetMs && opts.now() >= e.lockedUntil) {
      entries.delete(key)
      return undefined
    }
    return e
  }

  return {
    check(key) {
      const e = current(key)
      const wait = e ? e.lockedUntil - opts.now() : 0
      if (wait > 0) throw busy('too many failed attempts; wait before trying again', Math.ceil(wait / 1000))
    },
    fail(key) {
      const now = opts.now()
      const e = current(key) ?? { failures: 0, lastFailure: now, lockedUntil: 0 }
      e.failures++
      e.lastFailure = now
      const over = e.failures - opts.freeFailures
      if (over >= 0) e.lockedUntil = now + Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(over, 30))
      // Re-inserting keeps the map in least-recently-failed order, so the oldest is evicted first.
      entries.delete(key)
      entries.set(key, e)
      if (entries.size > opts.maxKeys) entries.delete(entries.keys().next().value as string)
    },
    reset(key) {
      entries.delete(key)
    },
  }
}

export const LOGIN_THROTTLE = {
  account: { freeFailures: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 60 * 60_000, maxKeys: 10_000 },
  // One household behind one address shares this budget, so it is looser than the account's.
  address: { freeFailures: 20, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 60 * 60_000, maxKeys: 10_000 },
} satisfies Record<string, Omit<ThrottleOptions, 'now'>>
