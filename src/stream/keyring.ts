import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEYS_DIR, loadOrCreateKey } from '../lib/keys.ts'

/**
 * The keys media URLs are signed with: `<data>/keys/media.key`, and during a rotation the key it
 * replaced. Rotating: `mv media.key media.previous.key` and restart. A new key signs from then on;
 * URLs signed with the previous one stay valid for the grace period (the longest a URL lives), counted
 * from the first start that saw the moved file — recorded in `media.previous.since` — after which
 * both files are deleted at the next start and any URL still signed with the old key is refused.
 */
export interface MediaKeys {
  current: Buffer
  previous?: { key: Buffer; until: number }
}

export const MEDIA_KEY = 'media'
const PREVIOUS = 'media.previous.key'
const SINCE = 'media.previous.since'

export function loadMediaKeys(dataDir: string, opts: { graceMs: number; now?: number }): MediaKeys {
  const now = opts.now ?? Date.now()
  const current = loadOrCreateKey(dataDir, MEDIA_KEY)
  const dir = join(dataDir, KEYS_DIR)
  const previousPath = join(dir, PREVIOUS)
  const sincePath = join(dir, SINCE)
  if (!exists(previousPath)) {
    rmSync(sincePath, { force: true })
    return { current }
  }
  try {
    // 'wx': the first start after the rotation records when it happened; later starts keep it.
    writeFileSync(sincePath, `${new Date(now).toISOString()}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const since = Date.parse(readFileSync(sincePath, 'utf8').trim())
  const until = (Number.isNaN(since) ? now : since) + opts.graceMs
  if (until <= now) {
    rmSync(previousPath, { force: true })
    rmSync(sincePath, { force: true })
    return { current }
  }
  const hex = readFileSync(previousPath, 'utf8').trim()
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      `key file ${previousPath} is damaged (expected 64 hex digits); delete it to end the rotation`,
    )
  }
  return { current, previous: { key: Buffer.from(hex, 'hex'), until } }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
