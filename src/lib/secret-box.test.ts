import { describe, expect, it } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { createSecretBox } from './secret-box.ts'

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32))

  it('round-trips and never produces the same ciphertext twice', () => {
    const a = box.seal('hunter2', 'ctx')
    expect(a).not.toBe(box.seal('hunter2', 'ctx'))
    expect(box.open(a, 'ctx')).toBe('hunter2')
  })

  it('refuses the wrong context, the wrong key, tampering and truncation', () => {
    const sealed = box.seal('hunter2', 'user:1')
    expect(box.open(sealed, 'user:2')).toBeNull()
    expect(createSecretBox(randomBytes(32)).open(sealed, 'user:1')).toBeNull()
    const [v, iv, tag, body] = sealed.split('.') as [string, string, string, string]
    const flipped = body.startsWith('A') ? `B${body.slice(1)}` : `A${body.slice(1)}`
    expect(box.open([v, iv, tag, flipped].join('.'), 'user:1')).toBeNull()
    expect(box.open([v, iv, tag.slice(0, 8), body].join('.'), 'user:1')).toBeNull()
    expect(box.open('v2.x.y.z', 'user:1')).toBeNull()
    expect(box.open('garbage', 'user:1')).toBeNull()
  })
})
