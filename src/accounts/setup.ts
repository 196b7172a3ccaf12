import { conflict, DomainError, invalid } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { Client } from './auth.ts'
import type { CredentialIndex } from './credential-index.ts'
import type { PasswordHasher } from './passwords.ts'
import { checkPassword, checkUsername } from './rules.ts'
import type { Sessions } from './sessions.ts'
import type { LoginResult, User } from './types.ts'
import type { UserStore } from './user-store.ts'

export interface Setup {
  /** True while no user exists: the only time the first-run page and POST /api/setup work. */
  needed(): boolean
  /** Creates the first admin and signs them in; a conflict once anyone exists. */
  createFirstAdmin(input: { username: string; password: string }, client: Client): Promise<LoginResult>
  /** TONEARM_ADMIN_PASSWORD at start: creates the admin when no user exists, else does nothing. */
  adminFromEnvironment(username: string, password: string): Promise<User | null>
}

export function createSetup(deps: {
  db: Db
  store: UserStore
  index: CredentialIndex
  hasher: PasswordHasher
  sessions: Sessions
  audit: Audit
  now: () => number
}): Setup {
  const { db, store, index, hasher, sessions, audit } = deps

  async function firstAdmin(username: string, password: string): Promise<number> {
    checkUsername(username)
    checkPassword(password)
    const passwordHash = await hasher.hash(password)
    const now = new Date(deps.now())
    // IMMEDIATE takes the write lock before counting, so two racing setups (or a setup racing
    // `tonearm user add` in another process) cannot both see an empty table.
    const id = db.transaction(
      (tx) => {
        if (store.count() > 0) throw conflict('setup is already done: sign in instead')
        return store.insert(tx as unknown as Db, {
          username,
          role: 'admin',
          passwordHash,
          folders: 'all',
          createdAt: now,
          updatedAt: now,
        })
      },
      { behavior: 'immediate' },
    )
    index.refreshUser(id)
    return id
  }

  return {
    needed: () => index.userCount() === 0,
    async createFirstAdmin(input, client) {
      const id = await firstAdmin(input.username, input.password)
      const { secret, expiresAt } = sessions.start(id, client)
      const user = store.toUser(store.row(id))
      audit.record('setup', { address: client.address, source: 'setup' }, { target: user.username })
      return { token: secret, expiresAt: expiresAt.toISOString(), user }
    },
    async adminFromEnvironment(username, password) {
      if (store.count() > 0) return null
      let id: number
      try {
        id = await firstAdmin(username, password)
      } catch (err) {
        // At start-up this is configuration: name the setting, as every other bad setting does.
        if (err instanceof DomainError && err.kind === 'invalid') {
          const setting = err.details?.field === 'username' ? 'adminUser' : 'adminPassword'
          throw invalid(`invalid setting ${setting}: ${err.message.replace(/^\w+: /, '')}`)
        }
        if (err instanceof DomainError && err.kind === 'conflict') return null
        throw err
      }
      const user = store.toUser(store.row(id))
      audit.record('setup', { source: 'env' }, { target: user.username })
      return user
    },
  }
}
