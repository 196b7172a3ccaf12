import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { busy } from '../lib/errors.ts'

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number
  r: number
  p: number
}

// 2^16 × 8 × 128 B = 64 MiB and ~130 ms per hash on a desktop core, ~0.5 s on a Raspberry Pi 4:
// memory-hard enough to make offline guessing expensive, cheap enough for a login. The parameters
// are stored with each hash (PHC string format), so raising them later re-hashes on next login.
export const DEFAULT_SCRYPT: ScryptParams = { ln: 16, r: 8, p: 1 }
const KEY_LENGTH = 32

export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(password: string, stored: string): Promise<boolean>
  /** Spends the same work as a real check, so unknown usernames cannot be told apart by timing. */
  verifyNothing(password: string): Promise<void>
  needsRehash(stored: string): boolean
}

export interface HasherOptions {
  params?: ScryptParams
  /** Hashes running at once: each one holds 64 MiB, so a login flood must not multiply that. */
  concurrency?: number
  /** Callers waiting beyond this are turned away with 'busy' instead of queueing without bound. */
  maxWaiting?: number
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = FORMAT.exec(stored)
  if (!m) return null
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  // Bounds keep a tampered row from turning one login into a gigabyte allocation.
  if (params.ln < 10 || params.ln > 22 || params.r < 1 || params.p < 1 || params.r * params.p > 64)
    return null
  return { params, salt: Buffer.from(m[4] as string, 'base64'), key: Buffer.from(m[5] as string, 'base64') }
}

export function createPasswordHasher(opts: HasherOptions = {}): PasswordHasher {
  const params = opts.params ?? DEFAULT_SCRYPT
  const limit = opts.concurrency ?? 2
  const maxWaiting = opts.maxWaiting ?? 64
  let running = 0
  const waiting: (() => void)[] = []

  async function derive(password: string, salt: Buffer, p: ScryptParams, length: number): Promise<Buffer> {
    if (running >= limit) {
      if (waiting.length >= maxWaiting) throw busy('too many sign-ins at once; try again shortly', 1)
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
    running++
    try {
      const N = 2 ** p.ln
      return await new Promise<Buffer>((resolve, reject) =>
        scrypt(
          password.normalize('NFC'),
          salt,
          length,
          { N, r: p.r, p: p.p, maxmem: 256 * N * p.r * p.p },
          (err, key) => (err ? reject(err) : resolve(key)),
        ),
      )
    } finally {
      running--
      waiting.shift()?.()
    }
  }

  const encode = (p: ScryptParams, salt: Buffer, key: Buffer) =>
    `$scrypt$ln=${p.ln},r=${p.r},p=${p.p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`

  const dummySalt = randomBytes(16)

  return {
    async hash(password) {
      const salt = randomBytes(16)
      return encode(params, salt, await derive(password, salt, params, KEY_LENGTH))
    },
    async verify(password, stored) {
      const parsed = parse(stored)
      if (!parsed) return false
      const key = await derive(password, parsed.salt, parsed.params, parsed.key.length)
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key)
    },
    async verifyNothing(password) {
      await derive(password, dummySalt, params, KEY_LENGTH)
    },
    needsRehash(stored) {
      const parsed = parse(stored)
      return (
        !parsed || parsed.params.ln < params.ln || parsed.params.r < params.r || parsed.params.p < params.p
      )
    },
  }
}
