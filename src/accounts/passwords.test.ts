import { describe, expect, it } from 'bun:test'
import { createPasswordHasher } from './passwords.ts'

describe('password hashing', () => {
  const hasher = createPasswordHasher({ params: { ln: 10, r: 8, p: 1 } })

  it('salts every hash and verifies only the right password', async () => {
    const a = await hasher.hash('correct horse')
    expect(a).not.toBe(await hasher.hash('correct horse'))
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(await hasher.verify('correct horse', a)).toBe(true)
    expect(await hasher.verify('correct horsE', a)).toBe(false)
  })

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hasher.hash('caf\u00e9-password')
    expect(await hasher.verify('cafe\u0301-password', stored)).toBe(true)
  })

  it('keeps old hashes working after the parameters are raised, and says they need re-hashing', async () => {
    const old = await hasher.hash('correct horse')
    const stronger = createPasswordHasher({ params: { ln: 11, r: 8, p: 1 } })
    expect(await stronger.verify('correct horse', old)).toBe(true)
    expect(stronger.needsRehash(old)).toBe(true)
    expect(stronger.needsRehash(await stronger.hash('x'))).toBe(false)
  })

  it('refuses malformed or absurd stored hashes without running them', async () => {
    expect(await hasher.verify('x', 'plain')).toBe(false)
    expect(await hasher.verify('x', '$scrypt$ln=30,r=8,p=1$AAAA$AAAA')).toBe(false)
  })

  it('turns a flood away instead of queueing without bound', async () => {
    const tiny = createPasswordHasher({ params: { ln: 10, r: 8, p: 1 }, concurrency: 1, maxWaiting: 2 })
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => tiny.hash('x')))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.kind),
    ).toEqual(['busy', 'busy', 'busy'])
  })
})
