import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

// Every bearer secret is 32 random bytes behind a short, recognisable prefix: people (and secret
// scanners) can tell a Tonearm credential and its kind at a glance, and a malformed string is
// refused before any lookup. Only the sha256 is stored: the secrets have 256 bits of entropy, so a
// fast hash is enough (the slow scrypt is for human-chosen passwords).
const PREFIX = { session: 'tnr_s_', api: 'tnr_a_', subsonic: 'tnr_k_' } as const
export type SecretKind = keyof typeof PREFIX

const SHAPE = /^tnr_[sak]_[A-Za-z0-9_-]{43}$/

export function newSecret(kind: SecretKind): { secret: string; hash: string } {
  const secret = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`
  return { secret, hash: hashSecret(secret) }
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export const looksLikeSecret = (value: string): boolean => SHAPE.test(value)

export function kindOfSecret(value: string): SecretKind | null {
  if (!looksLikeSecret(value)) return null
  return value[4] === 's' ? 'session' : value[4] === 'a' ? 'api' : 'subsonic'
}

// Subsonic app passwords get typed into phone apps: no look-alike characters, 20 of them from a
// 54-letter alphabet is ~115 bits.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function newAppPassword(length = 20): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)]
  return out
}

/** Equal-time comparison of two strings; different lengths compare unequal without leaking where. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest()
  const y = createHash('sha256').update(b).digest()
  return timingSafeEqual(x, y)
}
