import { createHmac, timingSafeEqual } from 'node:crypto'
import { forbidden } from '../lib/errors.ts'
import type { MediaKeys } from './keyring.ts'

/**
 * Signed media URLs. A token `<userId>.<expires>.<signature>` sits in the path; the signature is
 * HMAC-SHA256 over the user, the expiry and the resource the URL is for (e.g. `tracks/42/hls`,
 * which covers everything below it), truncated to 128 bits — RFC 2104 allows truncation to half
 * the hash, and a forger still has to guess 2¹²⁸ values. The token is a path segment rather than
 * query parameters so relative URLs in playlists inherit it and proxies key their caches on it.
 */
export interface MediaClaim {
  userId: number
  /** Unix seconds. */
  expires: number
}

const DOMAIN = 'tonearm-media-v1'
const TOKEN = /^([1-9][0-9]{0,9})\.([0-9]{10})\.([A-Za-z0-9_-]{22})$/

function mac(key: Buffer, userId: number, expires: number, resource: string): Buffer {
  return createHmac('sha256', key)
    .update(`${DOMAIN}\n${userId}\n${expires}\n${resource}`)
    .digest()
    .subarray(0, 16)
}

export function signToken(key: Buffer, claim: MediaClaim, resource: string): string {
  return `${claim.userId}.${claim.expires}.${mac(key, claim.userId, claim.expires, resource).toString('base64url')}`
}

/**
 * The claim of a token that is genuine for `resource` and not yet expired; otherwise a 403 that
 * says which of the two it is. The signature is checked first, so a URL whose expiry was edited
 * is reported as altered, not as expired.
 */
export function verifyToken(keys: MediaKeys, token: string, resource: string, nowMs: number): MediaClaim {
  const { claim, byPrevious } = checkSignature(keys, token, resource, nowMs)
  return checkValidity(keys, claim, byPrevious, nowMs)
}

/**
 * verifyToken with a memory of the pairs it has verified: a player fetches dozens of segments
 * under one token, and a map lookup costs less than an HMAC. Only genuine pairs are kept (so the
 * map cannot be filled with forgeries), and expiry and the previous key's grace period are
 * checked at every use.
 */
export function tokenVerifier(keys: MediaKeys, remember = 4096) {
  const known = new Map<string, { claim: MediaClaim; byPrevious: boolean }>()
  return (token: string, resource: string, nowMs: number): MediaClaim => {
    const memo = `${resource} ${token}`
    let hit = known.get(memo)
    if (!hit) {
      hit = checkSignature(keys, token, resource, nowMs)
      known.set(memo, hit)
      if (known.size > remember) known.delete(known.keys().next().value as string)
    }
    return checkValidity(keys, hit.claim, hit.byPrevious, nowMs)
  }
}

function checkSignature(keys: MediaKeys, token: string, resource: string, nowMs: number) {
  const m = TOKEN.exec(token)
  if (!m)
    throw forbidden('this media URL is malformed: its signature part is not <user>.<expiry>.<signature>')
  const claim = { userId: Number(m[1]), expires: Number(m[2]) }
  const given = Buffer.from(m[3] as string, 'base64url')
  const matches = (key: Buffer) => timingSafeEqual(given, mac(key, claim.userId, claim.expires, resource))
  if (matches(keys.current)) return { claim, byPrevious: false }
  if (keys.previous && nowMs < keys.previous.until && matches(keys.previous.key))
    return { claim, byPrevious: true }
  throw altered()
}

function checkValidity(keys: MediaKeys, claim: MediaClaim, byPrevious: boolean, nowMs: number): MediaClaim {
  if (byPrevious && !(keys.previous && nowMs < keys.previous.until)) throw altered()
  if (claim.expires * 1000 <= nowMs) {
    throw forbidden(
      `this media URL expired at ${new Date(claim.expires * 1000).toISOString()}; ask for a new one with POST /api/tracks/{id}/play`,
    )
  }
  return claim
}

const altered = () =>
  forbidden(
    'this media URL was altered, or signed with a key that has since been rotated out: its signature does not match',
  )

/**
 * Expiry rounded up to a whole window: every URL a user gets for a resource within one window is
 * the same, so a shared cache in front of Tonearm (nginx, a CDN) keys them alike and gets hits. A
 * URL lives between `ttl` and `ttl + window` seconds.
 */
export function expiryFor(nowMs: number, ttlSeconds: number, windowSeconds: number): number {
  const at = Math.floor(nowMs / 1000) + ttlSeconds
  return Math.ceil(at / windowSeconds) * windowSeconds
}
