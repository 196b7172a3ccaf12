import type { Db } from '../platform/sqlite.ts'
import { head, read } from './log.ts'
import type { LoggedEvent } from './schema.ts'

export interface TailOptions {
  /** Resume after this offset (0: from the start of what the log still holds). */
  after: number
  /** Only this user's events; undefined for all (admins). */
  userId?: number
  /** Keep waiting for new events after catching up (false: stop at the head). */
  follow: boolean
  /** Ends the tail (the client went away). */
  signal: AbortSignal
}

export interface TailDeps {
  db: Db
  /** Resolves on the next append in this process, or after `ms`. */
  waitForAppend(ms: number, signal: AbortSignal): Promise<void>
  /** Ends every tail (shutdown). */
  closing: AbortSignal
  batchSize?: number
  /** Appends by other processes are noticed by polling at this interval. */
  pollMs?: number
  /** After this long without events an empty batch is yielded, so the caller can send a heartbeat. */
  heartbeatMs?: number
}

/**
 * The log from an offset onwards, then (when following) live as events arrive. Yields batches in
 * offset order; an empty batch means "nothing new for a while".
 */
export async function* tail(deps: TailDeps, opts: TailOptions): AsyncGenerator<LoggedEvent[]> {
  const batchSize = deps.batchSize ?? 500
  const pollMs = deps.pollMs ?? 1000
  const heartbeatMs = deps.heartbeatMs ?? 15_000
  const signal = AbortSignal.any([opts.signal, deps.closing])
  let after = opts.after
  let quietSince = Date.now()
  while (!signal.aborted) {
    // The head is read before the events, so skipping up to it below can never skip an event
    // another process committed in between.
    const top = head(deps.db)
    const batch = read(deps.db, after, batchSize, opts.userId)
    const last = batch.at(-1)
    if (last) {
      after = last.offset
      quietSince = Date.now()
      yield batch
      continue
    }
    // Another user's events moved the head but none were ours: skip past them next time.
    if (opts.userId !== undefined) after = Math.max(after, top)
    if (!opts.follow) return
    if (Date.now() - quietSince >= heartbeatMs) {
      quietSince = Date.now()
      yield []
    }
    await deps.waitForAppend(pollMs, signal)
  }
}
