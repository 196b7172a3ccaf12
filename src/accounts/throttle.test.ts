import { describe, expect, it } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { manualClock } from './testing.ts'
import { createThrottle } from './throttle.ts'

const waitOf = (fn: () => void): number | null => {
  try {
    fn()
    return null
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    return (err as DomainError).details?.retryAfterSeconds as number
  }
}

describe('throttle', () => {
  const opts = { freeFailures: 3, baseMs: 1000, maxMs: 8000, forgetMs: 60_000, maxKeys: 3 }

  it('locks after the free failures with doubling waits up to the cap', () => {
    const clock = manualClock()
    const th = createThrottle({ ...opts, now: clock.now })
    const waits: (number | null)[] = []
    for (let i = 0; i < 7; i++) {
      th.fail('k')
      waits.push(waitOf(() => th.check('k')))
      clock.advance((waits.at(-1) ?? 0) * 1000)
    }
    expect(waits).toEqual([null, null, 1, 2, 4, 8, 8])
  })

  it('forgets after a quiet period and on reset', () => {
    const clock = manualClock()
    const th = createThrottle({ ...opts, now: clock.now })
    for (let i = 0; i < 3; i++) th.fail('k')
    th.reset('k')
    expect(waitOf(() => th.check('k'))).toBeNull()
    for (let i = 0; i < 3; i++) th.fail('j')
    clock.advance(61_000)
    th.fail('j')
    expect(waitOf(() => th.check('j'))).toBeNull()
  })

  it('keeps a bounded number of keys, dropping the least recently failed', () => {
    const clock = manualClock()
    const th = createThrottle({ ...opts, now: clock.now })
    for (const k of ['a', 'b', 'c', 'd']) for (let i = 0; i < 3; i++) th.fail(k)
    expect(waitOf(() => th.check('a'))).toBeNull()
    expect(waitOf(() => th.check('d'))).toBe(1)
  })
})
