import { eq } from 'drizzle-orm'
import { users } from '../db/schema/index.ts'
import { unauthorized } from '../lib/errors.ts'
import { clientKey } from '../lib/ip.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { CredentialIndex } from './credential-index.ts'
import type { PasswordHasher } from './passwords.ts'
import { newAppPassword } from './secrets.ts'
import type { Sessions } from './sessions.ts'
import type { Throttle } from './throttle.ts'
import type { Actor, LoginResult, Principal } from './types.ts'
import type { UserStore } from './user-store.ts'
import type { Users } from './users.ts'

export interface Client {
  address?: string
  userAgent?: string
}

export interface Auth {
  login(username: string, password: string, client: Client): Promise<LoginResult>
  /** The principal behind a session or API token secret (bearer or cookie); memory only. */
  authenticate(secret: string): Principal | null
  /** A user named by a trusted SSO proxy's header; created on first sight when allowed. */
  authenticateProxyUser(username: string, opts: { create: boolean; client: Client }): Promise<Principal>
  /**
   * The user a signed media URL was issued to, with their rights as they are now (read only);
   * null once the user is gone. Memory only: it runs on every segment request.
   */
  signedUrlPrincipal(userId: number): Principal | null
}

export interface LoginThrottles {
  account: Throttle
  address: Throttle
}

export function createAuth(deps: {
  db: Db
  store: UserStore
  users: Users
  index: CredentialIndex
  hasher: PasswordHasher
  sessions: Sessions
  throttles: LoginThrottles
  audit: Audit
}): Auth {
  const { db, store, index, hasher, sessions, throttles, audit } = deps

  return {
    async login(username, password, client) {
      const accountKey = username.toLowerCase()
      const addressKey = client.address ? clientKey(client.address) : 'unknown'
      throttles.address.check(addressKey)
      throttles.account.check(accountKey)
      const actor: Actor = { address: client.address }
      const row = store.rowByName(username)
      let ok = false
      if (row) ok = await hasher.verify(password, row.passwordHash)
      else await hasher.verifyNothing(password)
      if (!row || !ok) {
        throttles.account.fail(accountKey)
        throttles.address.fail(addressKey)
        audit.record('login', actor, {
          success: false,
          actorName: username.slice(0, 64),
          detail: { reason: row ? 'wrong password' : 'unknown user' },
        })
        // One message for both cases, so the answer does not reveal which names exist.
        throw unauthorized('wrong username or password')
      }
      throttles.account.reset(accountKey)
      if (hasher.needsRehash(row.passwordHash)) {
        const passwordHash = await hasher.hash(password)
        db.update(users).set({ passwordHash }).where(eq(users.id, row.id)).run()
      }
      const { secret, expiresAt } = sessions.start(row.id, client)
      const cached = index.user(row.id)
      audit.record('login', {
        ...actor,
        principal: cached && index.principal(cached, null, { kind: 'session', id: null }),
      })
      return { token: secret, expiresAt: expiresAt.toISOString(), user: store.toUser(row) }
    },
    authenticate(secret) {
      const found = index.resolve(secret)
      // OpenSubsonic keys are for /rest only: a key pasted into a phone app must not open the REST API.
      if (!found || found.credential.kind === 'subsonic') return null
      return found.principal
    },
    async authenticateProxyUser(username, { create, client }) {
      let user = index.userByName(username)
      if (!user && create) {
        // The proxy vouches for the person; the password is random and unknown, so only the proxy
        // (or an admin resetting it) can ever sign this account in.
        await deps.users.create(
          { username, password: newAppPassword(32), role: 'user' },
          { address: client.address, source: 'proxy' },
        )
        user = index.userByName(username)
      }
      if (!user) throw unauthorized(`the proxy signed in "${username.slice(0, 64)}", who has no account here`)
      return index.principal(user, null, { kind: 'proxy', id: null })
    },
    signedUrlPrincipal(userId) {
      const user = index.user(userId)
      return user ? index.principal(user, ['read'], { kind: 'signed-url', id: null }) : null
    },
  }
}
