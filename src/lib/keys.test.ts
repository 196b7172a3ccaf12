import { afterAll, describe, expect, it } from 'bun:test'
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadOrCreateKey } from './keys.ts'

const dir = mkdtempSync(join(tmpdir(), 'tonearm-keys-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('key files', () => {
  it('creates a key readable by the owner only and returns the same key afterwards', () => {
    const key = loadOrCreateKey(dir, 'test')
    expect(key).toHaveLength(32)
    expect(statSync(join(dir, 'keys', 'test.key')).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700)
    expect(loadOrCreateKey(dir, 'test').equals(key)).toBe(true)
  })

  it('tightens a key file that became readable by others', () => {
    chmodSync(join(dir, 'keys', 'test.key'), 0o644)
    loadOrCreateKey(dir, 'test')
    expect(statSync(join(dir, 'keys', 'test.key')).mode & 0o777).toBe(0o600)
  })

  it('refuses a damaged key rather than silently using another', () => {
    writeFileSync(join(dir, 'keys', 'broken.key'), 'not hex\n', { mode: 0o600 })
    expect(() => loadOrCreateKey(dir, 'broken')).toThrow('is damaged')
  })
})
