import { and, eq, gt, lte, sql } from 'drizzle-orm'
import { apiTokens, musicFolders, sessions, userFolders, users } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import { effectiveScopes } from './scopes.ts'
import { hashSecret, kindOfSecret, type SecretKind } from './secrets.ts'
import type { CredentialKind, Principal, Role, Scope } from './types.ts'

export interface CachedUser {
  id: number
  username: string
  role: Role
  allFolders: boolean
  grantedFolderIds: number[]
  maxBitrate: number
  canDownload: boolean
  canShare: boolean
  /** Sealed, as stored; opened only when a Subsonic client signs in. */
  subsonicPassword: string | null
}

export interface CachedCredential {
  kind: SecretKind
  id: number
  userId: number
  /** Null for sessions: they carry the full rights of the role. */
  scopes: Scope[] | null
  expiresAt: number | null
  lastUsedAt: number | null
}

export interface CredentialIndex {
  load(): void
  user(id: number): CachedUser | undefined
  userByName(name: string): CachedUser | undefined
  userCount(): number
  principal(user: CachedUser, scopes: Scope[] | null, credential: Principal['credential']): Principal
  /** The principal a secret stands for, or null; touches memory only. */
  resolve(secret: string): { principal: Principal; credential: CachedCredential } | null
  add(hash: string, credential: CachedCredential): void
  remove(kind: SecretKind, id: number): void
  removeForUser(userId: number, keep?: (c: CachedCredential) => boolean): void
  /** Re-reads one user after a change; drops the user and its credentials when it is gone. */
  refreshUser(id: number): void
  /** The live state of a credential (its last use and sliding expiry are newer than the table's). */
  get(kind: SecretKind, id: number): CachedCredential | undefined
  /** Writes buffered last-used times (and session expiry) and deletes expired sessions. */
  flush(): void
  /** Polls for changes made by other processes (the `tonearm user` commands) and flushes periodically. */
  watch(opts?: { pollMs?: number; flushMs?: number }): () => void
}

// Every authenticated request asks "whose secret is this?". Answering from memory keeps that off
// the disk: all users, sessions and tokens of a household fit in a few kilobytes. Changes made
// through this process update the maps at once (revocation is immediate); changes made by another
// process are noticed through SQLite's data_version, which moves when another connection commits.
export function createCredentialIndex(deps: {
  db: Db
  now: () => number
  sessionTtlMs: number
}): CredentialIndex {
  const { db, now } = deps
  const usersById = new Map<number, CachedUser>()
  const idsByName = new Map<string, number>()
  const byHash = new Map<string, CachedCredential>()
  const hashById = new Map<string, string>()
  const dirty = new Set<CachedCredential>()
  let activeFolders: number[] = []
  let dataVersion = -1

  const idKey = (kind: SecretKind, id: number) => `${kind}:${id}`

  function readUser(id: number): CachedUser | undefined {
    const row = db.select().from(users).where(eq(users.id, id)).get()
    if (!row) return undefined
    const grants = db.select().from(userFolders).where(eq(userFolders.userId, id)).all()
    return toCached(
      row,
      grants.map((g) => g.folderId),
    )
  }

  function toCached(row: typeof users.$inferSelect, granted: number[]): CachedUser {
    return {
      id: row.id,
      username: row.username,
      role: row.role,
      allFolders: row.allFolders,
      grantedFolderIds: granted,
      maxBitrate: row.maxBitrate,
      canDownload: row.canDownload,
      canShare: row.canShare,
      subsonicPassword: row.subsonicPassword,
    }
  }

  function putUser(u: CachedUser): void {
    const previous = usersById.get(u.id)
    if (previous) idsByName.delete(previous.username.toLowerCase())
    usersById.set(u.id, u)
    idsByName.set(u.username.toLowerCase(), u.id)
  }

  const index: CredentialIndex = {
    load() {
      // Read first: a commit landing while the tables are read is then seen at the next poll.
      dataVersion = readDataVersion()
      const grants = new Map<number, number[]>()
      for (const g of db.select().from(userFolders).all())
        grants.set(g.userId, [...(grants.get(g.userId) ?? []), g.folderId])
      usersById.clear()
      idsByName.clear()
      for (const row of db.select().from(users).all()) putUser(toCached(row, grants.get(row.id) ?? []))
      activeFolders = db
        .select({ id: musicFolders.id })
        .from(musicFolders)
        .where(eq(musicFolders.active, true))
        .all()
        .map((f) => f.id)
      byHash.clear()
      hashById.clear()
      dirty.clear()
      const t = now()
      for (const s of db.select().from(sessions).all()) {
        if (s.expiresAt.getTime() <= t) continue
        index.add(s.tokenHash, {
          kind: 'session',
          id: s.id,
          userId: s.userId,
          scopes: null,
          expiresAt: s.expiresAt.getTime(),
          lastUsedAt: s.lastUsedAt.getTime(),
        })
      }
      for (const k of db.select().from(apiTokens).all()) {
        index.add(k.tokenHash, {
          kind: k.kind,
          id: k.id,
          userId: k.userId,
          scopes: k.scopes as Scope[],
          expiresAt: k.expiresAt?.getTime() ?? null,
          lastUsedAt: k.lastUsedAt?.getTime() ?? null,
        })
      }
    },
    user: (id) => usersById.get(id),
    userByName(name) {
      const id = idsByName.get(name.toLowerCase())
      return id === undefined ? undefined : usersById.get(id)
    },
    userCount: () => usersById.size,
    principal(u, scopes, credential) {
      const all = u.role === 'admin' || u.allFolders
      return {
        userId: u.id,
        username: u.username,
        role: u.role,
        scopes: effectiveScopes(scopes, u.role),
        folderIds: all ? [...activeFolders] : u.grantedFolderIds.filter((id) => activeFolders.includes(id)),
        maxBitrate: u.maxBitrate,
        canDownload: u.canDownload,
        canShare: u.canShare,
        credential,
      }
    },
    resolve(secret) {
      const kind = kindOfSecret(secret)
      if (!kind) return null
      const credential = byHash.get(hashSecret(secret))
      // The prefix is part of what was hashed, so a mismatch here means a forged or mangled secret.
      if (!credential || credential.kind !== kind) return null
      const user = usersById.get(credential.userId)
      const t = now()
      if (!user || (credential.expiresAt !== null && credential.expiresAt <= t)) return null
      credential.lastUsedAt = t
      if (credential.kind === 'session') credential.expiresAt = t + deps.sessionTtlMs
      dirty.add(credential)
      const kindName: CredentialKind = credential.kind
      return {
        principal: index.principal(user, credential.scopes, { kind: kindName, id: credential.id }),
        credential,
      }
    },
    add(hash, credential) {
      byHash.set(hash, credential)
      hashById.set(idKey(credential.kind, credential.id), hash)
    },
    remove(kind, id) {
      const hash = hashById.get(idKey(kind, id))
      if (hash === undefined) return
      const c = byHash.get(hash)
      if (c) dirty.delete(c)
      byHash.delete(hash)
      hashById.delete(idKey(kind, id))
    },
    removeForUser(userId, keep = () => false) {
      for (const c of [...byHash.values()]) if (c.userId === userId && !keep(c)) index.remove(c.kind, c.id)
    },
    refreshUser(id) {
      const fresh = readUser(id)
      if (fresh) return putUser(fresh)
      const gone = usersById.get(id)
      if (gone) idsByName.delete(gone.username.toLowerCase())
      usersById.delete(id)
      index.removeForUser(id)
    },
    get(kind, id) {
      const hash = hashById.get(idKey(kind, id))
      return hash === undefined ? undefined : byHash.get(hash)
    },
    flush() {
      const pending = [...dirty]
      dirty.clear()
      const t = new Date(now())
      db.transaction((tx) => {
        for (const c of pending) {
          const lastUsedAt = new Date(c.lastUsedAt ?? now())
          if (c.kind === 'session') {
            // Only slide sessions the table still considers alive: one ended or expired by another
            // process meanwhile must not be brought back by this buffered write.
            tx.update(sessions)
              .set({ lastUsedAt, expiresAt: new Date(c.expiresAt ?? now()) })
              .where(and(eq(sessions.id, c.id), gt(sessions.expiresAt, t)))
              .run()
          } else {
            tx.update(apiTokens).set({ lastUsedAt }).where(eq(apiTokens.id, c.id)).run()
          }
        }
        tx.delete(sessions).where(lte(sessions.expiresAt, t)).run()
      })
      for (const c of [...byHash.values()]) {
        if (c.kind === 'session' && c.expiresAt !== null && c.expiresAt <= t.getTime())
          index.remove(c.kind, c.id)
      }
    },
    watch({ pollMs = 1000, flushMs = 30_000 } = {}) {
      const poll = setInterval(() => {
        if (readDataVersion() === dataVersion) return
        index.flush()
        index.load()
      }, pollMs)
      const flush = setInterval(() => index.flush(), flushMs)
      poll.unref?.()
      flush.unref?.()
      return () => {
        clearInterval(poll)
        clearInterval(flush)
      }
    },
  }

  function readDataVersion(): number {
    // all(), not get(): drizzle's bun-sqlite get() returns a row as an array, better-sqlite3's an object.
    return db.all<{ data_version: number }>(sql`PRAGMA data_version`)[0]?.data_version ?? -1
  }

  return index
}
