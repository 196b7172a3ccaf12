import { createHash } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { users } from '../db/schema/index.ts'
import { notFound } from '../lib/errors.ts'
import { clientKey } from '../lib/ip.ts'
import type { SecretBox } from '../lib/secret-box.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { LoginThrottles } from './auth.ts'
import type { CredentialIndex } from './credential-index.ts'
import { newAppPassword, sameSecret } from './secrets.ts'
import type { Actor, Principal } from './types.ts'

// Subsonic's legacy auth sends either the password (u, p) or md5(password + salt) (u, t, s), so the
// server must be able to recover the secret. That secret is a separate, generated app password —
// never the account password — sealed with a key from <data>/keys and revocable on its own.
// Clients that speak OpenSubsonic use an API key instead (an api_tokens row of kind 'subsonic').

export interface Subsonic {
  /** Generates a new app password (replacing any previous one) and returns it once. */
  createPassword(principal: Principal, actor: Actor): string
  revokePassword(principal: Principal, actor: Actor): void
  /** `u` + `p`; `p` may use the spec's `enc:` hex form. Throws 'busy' while throttled. */
  verifyPassword(username: string, password: string, address?: string): Principal | null
  /** `u` + `t` + `s`: t = md5(password + s) in hex. Throws 'busy' while throttled. */
  verifyToken(username: string, token: string, salt: string, address?: string): Principal | null
  /** OpenSubsonic `apiKey`: only keys of kind 'subsonic' count. */
  verifyApiKey(key: string): Principal | null
  /**
   * False for an account that exists but has no app password: token auth cannot work for it
   * (Subsonic's error 41), and the app should tell its user to create one rather than retry.
   */
  tokenAuthAvailable(username: string): boolean
}

const context = (userId: number) => `subsonic-password:${userId}`

export function createSubsonic(deps: {
  db: Db
  index: CredentialIndex
  box: SecretBox
  throttles: LoginThrottles
  audit: Audit
}): Subsonic {
  const { db, index, box, throttles, audit } = deps

  const setSealed = (userId: number, sealed: string | null) => {
    db.update(users).set({ subsonicPassword: sealed }).where(eq(users.id, userId)).run()
    index.refreshUser(userId)
  }

  // Shared by both legacy forms: throttle, open the sealed password, let `matches` decide.
  function verify(username: string, address: string | undefined, matches: (plain: string) => boolean) {
    // Subsonic failures count separately from web logins, so a phone app stuck on an old app
    // password does not lock its owner out of the web player.
    const accountKey = `subsonic:${username.toLowerCase()}`
    const addressKey = address ? clientKey(address) : 'unknown'
    throttles.address.check(addressKey)
    throttles.account.check(accountKey)
    const user = index.userByName(username)
    const plain = user?.subsonicPassword ? box.open(user.subsonicPassword, context(user.id)) : null
    if (!user || plain === null || !matches(plain)) {
      throttles.account.fail(accountKey)
      throttles.address.fail(addressKey)
      return null
    }
    throttles.account.reset(accountKey)
    return index.principal(user, null, { kind: 'subsonic-password', id: null })
  }

  return {
    createPassword(principal, actor) {
      const password = newAppPassword()
      setSealed(principal.userId, box.seal(password, context(principal.userId)))
      audit.record('subsonic-password.create', actor, { target: principal.username })
      return password
    },
    revokePassword(principal, actor) {
      if (!index.user(principal.userId)?.subsonicPassword) throw notFound('Subsonic app password')
      setSealed(principal.userId, null)
      audit.record('subsonic-password.revoke', actor, { target: principal.username })
    },
    verifyPassword(username, password, address) {
      const given = password.startsWith('enc:')
        ? Buffer.from(password.slice(4), 'hex').toString('utf8')
        : password
      return verify(username, address, (plain) => sameSecret(plain, given))
    },
    verifyToken(username, token, salt, address) {
      if (!/^[0-9a-fA-F]{32}$/.test(token) || salt.length < 1 || salt.length > 256) return null
      return verify(username, address, (plain) =>
        sameSecret(
          createHash('md5')
            .update(plain + salt)
            .digest('hex'),
          token.toLowerCase(),
        ),
      )
    },
    tokenAuthAvailable(username) {
      const user = index.userByName(username)
      return !user || user.subsonicPassword !== null
    },
    verifyApiKey(key) {
      const found = index.resolve(key)
      return found?.credential.kind === 'subsonic' ? found.principal : null
    },
  }
}
