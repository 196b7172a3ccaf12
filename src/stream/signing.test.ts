import { afterEach, describe, expect, it } from 'bun:test'
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DomainError } from '../lib/errors.ts'
import { loadMediaKeys, type MediaKeys } from './keyring.ts'
import { expiryFor, signToken, verifyToken } from './signing.ts'

const HOUR = 3600_000
const now = Date.parse('2026-03-01T10:20:00Z')
const dirs: string[] = []
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tonearm-keys-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The 403 reason verifyToken gives, or 'ok'. */
function outcome(keys: MediaKeys, token: string, resource: string, at = now): string {
  try {
    verifyToken(keys, token, resource, at)
    return 'ok'
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).kind).toBe('forbidden')
    return (err as Error).message
  }
}

describe('signed media tokens', () => {
  const keys = loadMediaKeys(dataDir(), { graceMs: 7 * HOUR, now })
  const expires = expiryFor(now, 6 * 3600, 3600)
  const token = signToken(keys.current, { userId: 7, expires }, 'tracks/42/hls')

  it('verify for their own user, resource and expiry', () => {
    expect(verifyToken(keys, token, 'tracks/42/hls', now)).toEqual({ userId: 7, expires })
    expect(token).toMatch(/^7\.\d{10}\.[A-Za-z0-9_-]{22}$/)
  })

  it('refuse any altered part, naming it an alteration', () => {
    const [user, expiry, sig] = token.split('.') as [string, string, string]
    const flipped = `${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}`
    for (const forged of [
      `8.${expiry}.${sig}`,
      `${user}.${Number(expiry) + 3600}.${sig}`,
      `${user}.${expiry}.${flipped}`,
    ]) {
      expect(outcome(keys, forged, 'tracks/42/hls')).toContain('was altered')
    }
    expect(outcome(keys, token, 'tracks/43/hls')).toContain('was altered')
    expect(outcome(keys, token, 'tracks/42/file/original')).toContain('was altered')
    const other = loadMediaKeys(dataDir(), { graceMs: HOUR, now })
    expect(outcome(other, token, 'tracks/42/hls')).toContain('was altered')
  })

  it('refuse malformed tokens', () => {
    for (const bad of ['', 'x', '7.123.abc', `0.${expires}.${'A'.repeat(22)}`, `${token}.`, `../${token}`]) {
      expect(outcome(keys, bad, 'tracks/42/hls')).toContain('malformed')
    }
  })

  it('expire at their rounded expiry, and say when', () => {
    expect(outcome(keys, token, 'tracks/42/hls', expires * 1000 - 1)).toBe('ok')
    const reason = outcome(keys, token, 'tracks/42/hls', expires * 1000)
    expect(reason).toContain(`expired at ${new Date(expires * 1000).toISOString()}`)
  })

  it('round expiry up to the window, so play calls within an hour give the same URL', () => {
    expect(expires).toBe(Date.parse('2026-03-01T17:00:00Z') / 1000)
    expect(expiryFor(now + 39 * 60_000 + 59_000, 6 * 3600, 3600)).toBe(expires)
    expect(expiryFor(now + 40 * 60_000 + 1000, 6 * 3600, 3600)).toBe(expires + 3600)
  })
})

describe('key rotation', () => {
  it('keeps the previous key valid for the grace period after the first start that saw it, then deletes it', () => {
    const dir = dataDir()
    const before = loadMediaKeys(dir, { graceMs: 7 * HOUR, now })
    const old = signToken(before.current, { userId: 1, expires: now / 1000 + 3600 }, 'tracks/1/hls')
    renameSync(join(dir, 'keys', 'media.key'), join(dir, 'keys', 'media.previous.key'))

    const rotated = loadMediaKeys(dir, { graceMs: 7 * HOUR, now })
    expect(rotated.current.equals(before.current)).toBe(false)
    expect(rotated.previous?.key.equals(before.current)).toBe(true)
    expect(outcome(rotated, old, 'tracks/1/hls')).toBe('ok')
    const fresh = signToken(rotated.current, { userId: 1, expires: now / 1000 + 3600 }, 'tracks/1/hls')
    expect(outcome(rotated, fresh, 'tracks/1/hls')).toBe('ok')

    // A restart during the grace period keeps the original rotation time.
    const restarted = loadMediaKeys(dir, { graceMs: 7 * HOUR, now: now + 3 * HOUR })
    expect(restarted.previous?.until).toBe(now + 7 * HOUR)
    // Past the grace period a running server refuses the old key…
    expect(outcome(restarted, old, 'tracks/1/hls', now + 7 * HOUR)).toContain('rotated out')
    // …and the next start deletes it.
    const later = loadMediaKeys(dir, { graceMs: 7 * HOUR, now: now + 8 * HOUR })
    expect(later.previous).toBeUndefined()
    expect(later.current.equals(rotated.current)).toBe(true)
    expect(existsSync(join(dir, 'keys', 'media.previous.key'))).toBe(false)
    expect(existsSync(join(dir, 'keys', 'media.previous.since'))).toBe(false)
  })

  it('stops with a clear message on a damaged previous key', () => {
    const dir = dataDir()
    loadMediaKeys(dir, { graceMs: HOUR, now })
    writeFileSync(join(dir, 'keys', 'media.previous.key'), 'not hex\n')
    expect(() => loadMediaKeys(dir, { graceMs: HOUR, now })).toThrow(/media.previous.key is damaged/)
  })
})
