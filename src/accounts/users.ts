import { eq } from 'drizzle-orm'
import { users as usersTable } from '../db/schema/index.ts'
import { conflict, forbidden, invalid, unauthorized } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { LoginThrottles } from './auth.ts'
import type { CredentialIndex } from './credential-index.ts'
import type { PasswordHasher } from './passwords.ts'
import { checkBitrate, checkFolders, checkPassword, checkUsername } from './rules.ts'
import { isAdmin } from './scopes.ts'
import type { Sessions } from './sessions.ts'
import type { Tokens } from './tokens.ts'
import type { Actor, NewUser, User, UserPatch } from './types.ts'
import type { UserStore } from './user-store.ts'

export interface Users {
  list(actor: Actor): User[]
  get(id: number, actor: Actor): User
  findByName(name: string): User | null
  create(input: NewUser, actor: Actor): Promise<User>
  update(id: number, patch: UserPatch, actor: Actor): Promise<User>
  remove(id: number, actor: Actor): void
  /** Signs the user out everywhere and revokes every token and key ("I lost my phone"). */
  revokeCredentials(id: number, actor: Actor): void
}

/** No principal means the console (CLI, environment): the machine's owner may do anything. */
const mayAdminister = (actor: Actor) => !actor.principal || isAdmin(actor.principal)

const ADMIN_FIELDS = ['username', 'role', 'folders', 'maxBitrate', 'canDownload', 'canShare'] as const

export function createUsers(deps: {
  db: Db
  store: UserStore
  index: CredentialIndex
  hasher: PasswordHasher
  sessions: Sessions
  tokens: Tokens
  throttles: LoginThrottles
  audit: Audit
  now: () => number
}): Users {
  const { db, store, index, hasher, sessions, tokens, throttles, audit } = deps

  const requireAdmin = (actor: Actor) => {
    if (!mayAdminister(actor)) throw forbidden('only an admin may manage other users')
  }
  const requireSelfOrAdmin = (id: number, actor: Actor) => {
    if (!mayAdminister(actor) && actor.principal?.userId !== id) {
      throw forbidden('you may only see and change your own account')
    }
  }

  return {
    list(actor) {
      requireAdmin(actor)
      return store.list()
    },
    get(id, actor) {
      requireSelfOrAdmin(id, actor)
      return store.toUser(store.row(id))
    },
    findByName(name) {
      const row = store.rowByName(name)
      return row ? store.toUser(row) : null
    },
    async create(input, actor) {
      requireAdmin(actor)
      checkUsername(input.username)
      checkPassword(input.password)
      const folders = checkFolders(db, input.folders ?? 'all')
      const passwordHash = await hasher.hash(input.password)
      const now = new Date(deps.now())
      const id = db.transaction((tx) =>
        store.insert(tx as unknown as Db, {
          username: input.username,
          role: input.role ?? 'user',
          passwordHash,
          folders,
          maxBitrate: checkBitrate(input.maxBitrate ?? 0),
          canDownload: input.canDownload ?? true,
          canShare: input.canShare ?? true,
          createdAt: now,
          updatedAt: now,
        }),
      )
      index.refreshUser(id)
      audit.record('user.create', actor, { target: input.username, detail: { role: input.role ?? 'user' } })
      return store.toUser(store.row(id))
    },
    async update(id, patch, actor) {
      requireSelfOrAdmin(id, actor)
      const row = store.row(id)
      const changed = ADMIN_FIELDS.filter((f) => patch[f] !== undefined)
      if (changed.length > 0 && !mayAdminister(actor)) {
        throw forbidden(`only an admin may change ${changed.join(', ')}`)
      }
      const self = actor.principal?.userId === id
      let passwordHash: string | undefined
      if (patch.password !== undefined) {
        checkPassword(patch.password)
        // Changing one's own password proves knowledge of the current one, so a session left open
        // on a shared computer cannot be turned into a permanent takeover.
        if (self) {
          if (patch.currentPassword === undefined) {
            throw invalid('currentPassword: needed to change your own password', { field: 'currentPassword' })
          }
          // Same budget as signing in: a stolen session must not become an unthrottled password oracle.
          const key = row.username.toLowerCase()
          throttles.account.check(key)
          if (!(await hasher.verify(patch.currentPassword, row.passwordHash))) {
            throttles.account.fail(key)
            audit.record('password.change', actor, { success: false, target: row.username })
            throw unauthorized('currentPassword: wrong password')
          }
          throttles.account.reset(key)
        }
        passwordHash = await hasher.hash(patch.password)
      }
      if (patch.username !== undefined) checkUsername(patch.username)
      if (patch.role !== undefined) store.keepAnAdmin(row, patch.role)
      const folders = patch.folders === undefined ? undefined : checkFolders(db, patch.folders)
      if (patch.maxBitrate !== undefined) checkBitrate(patch.maxBitrate)

      db.transaction((tx) => {
        const t = tx as unknown as Db
        if (patch.username !== undefined && patch.username.toLowerCase() !== row.username.toLowerCase()) {
          if (store.rowByName(patch.username)) throw conflict(`username "${patch.username}" is taken`)
        }
        t.update(usersTable)
          .set({
            username: patch.username,
            role: patch.role,
            maxBitrate: patch.maxBitrate,
            canDownload: patch.canDownload,
            canShare: patch.canShare,
            passwordHash,
            updatedAt: new Date(deps.now()),
          })
          .where(eq(usersTable.id, id))
          .run()
        if (folders !== undefined) store.setFolders(t, id, folders)
      })
      index.refreshUser(id)
      if (passwordHash) {
        const keep =
          self && actor.principal?.credential.kind === 'session' ? actor.principal.credential.id : null
        sessions.revokeAll(id, keep)
        audit.record('password.change', actor, { target: row.username })
      }
      if (changed.length > 0)
        audit.record('user.update', actor, { target: row.username, detail: { changed } })
      return store.toUser(store.row(id))
    },
    remove(id, actor) {
      requireAdmin(actor)
      const row = store.row(id)
      store.keepAnAdmin(row, 'deleted')
      // Sessions, tokens and grants go with the row (ON DELETE CASCADE); the index forgets them now.
      db.delete(usersTable).where(eq(usersTable.id, id)).run()
      index.refreshUser(id)
      audit.record('user.delete', actor, { target: row.username })
    },
    revokeCredentials(id, actor) {
      requireSelfOrAdmin(id, actor)
      const row = store.row(id)
      sessions.revokeAll(id)
      tokens.revokeAll(id)
      db.update(usersTable).set({ subsonicPassword: null }).where(eq(usersTable.id, id)).run()
      index.refreshUser(id)
      audit.record('credentials.revoke', actor, { target: row.username })
    },
  }
}
