import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const KEYS_DIR = 'keys'

// Secret keys live in <data>/keys, one file per purpose, created on first use with owner-only
// permissions. They are never constants in the code (anyone can read the code) and `tonearm backup`
// copies the directory, so encrypted values in a restored database can still be read.
export function loadOrCreateKey(dataDir: string, name: string, bytes = 32): Buffer {
  const dir = join(dataDir, KEYS_DIR)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const path = join(dir, `${name}.key`)
  try {
    // 'wx' fails when the file exists, so a server and a `tonearm user` command starting together
    // cannot both create a key and leave each other with the wrong one.
    writeFileSync(path, `${randomBytes(bytes).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  // A key copied around by hand often loses its mode; tighten it rather than keep a readable secret.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  const hex = readFileSync(path, 'utf8').trim()
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(hex)) {
    throw new Error(
      `key file ${path} is damaged (expected ${bytes * 2} hex digits); restore it from a backup`,
    )
  }
  return Buffer.from(hex, 'hex')
}
