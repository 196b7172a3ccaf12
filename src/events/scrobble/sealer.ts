import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

// Scrobbling tokens are someone else's credentials: they are sealed with AES-256-GCM under a key
// that lives in its own 0600 file, so a copied database alone (a backup, a bug report) does not
// give them away. The key is created on first use.

const KEY_BYTES = 32
const IV_BYTES = 12
const VERSION = 'v1'

export interface Sealer {
  /** `context` (user and service) is authenticated too, so a sealed value cannot be moved to another row. */
  seal(plain: string, context: string): string
  open(sealed: string, context: string): string
}

function loadKey(file: string): Buffer {
  let key: Buffer
  try {
    key = readFileSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    try {
      // 'wx' fails when another process created the key first; then that key is the one to use.
      writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' })
      chmodSync(file, 0o600)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    key = readFileSync(file)
  }
  if (key.length !== KEY_BYTES)
    throw new Error(`${file} is not a ${KEY_BYTES}-byte key (it has ${key.length} bytes)`)
  return key
}

export function createSealer(keyFile: string): Sealer {
  let key: Buffer | undefined
  const k = () => {
    key ??= loadKey(keyFile)
    return key
  }
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', k(), iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.')
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.')
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret')
      const decipher = createDecipheriv('aes-256-gcm', k(), Buffer.from(iv, 'base64url'))
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      )
    },
  }
}
