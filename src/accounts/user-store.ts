import { eq, sql } from 'drizzle-orm'
import { userFolders, users } from '../db/schema/index.ts'
import { conflict, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { FolderGrant, Role, User } from './types.ts'

export type UserRow = typeof users.$inferSelect

// Plain reads and writes of the users tables; the rules about who may change what live in users.ts.
export function createUserStore(db: Db) {
  const grantsOf = (id: number): number[] =>
    db
      .select({ folderId: userFolders.folderId })
      .from(userFolders)
      .where(eq(userFolders.userId, id))
      .all()
      .map((g) => g.folderId)
      .sort((a, b) => a - b)

  const toUser = (row: UserRow): User => ({
    id: row.id,
    username: row.username,
    role: row.role,
    folders: row.allFolders ? 'all' : grantsOf(row.id),
    maxBitrate: row.maxBitrate,
    canDownload: row.canDownload,
    canShare: row.canShare,
    hasSubsonicPassword: row.subsonicPassword !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  })

  const store = {
    toUser,
    row(id: number): UserRow {
      const row = db.select().from(users).where(eq(users.id, id)).get()
      if (!row) throw notFound(`user ${id}`)
      return row
    },
    rowByName(name: string): UserRow | undefined {
      return db.select().from(users).where(sql`lower(${users.username}) = lower(${name})`).get()
    },
    list(): User[] {
      return db.select().from(users).orderBy(users.id).all().map(toUser)
    },
    count(): number {
      return db.select({ n: sql<number>`count(*)` }).from(users).get()?.n ?? 0
    },
    adminCount(): number {
      return db.select({ n: sql<number>`count(*)` }).from(users).where(eq(users.role, 'admin')).get()?.n ?? 0
    },
    /** Inserts inside the caller's transaction; a name taken in any letter case is a conflict. */
    insert(
      tx: Db,
      values: Omit<typeof users.$inferInsert, 'id' | 'allFolders'> & { folders: FolderGrant },
    ): number {
      const { folders, ...rest } = values
      const taken = tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.username}) = lower(${rest.username})`)
        .get()
      if (taken) throw conflict(`username "${rest.username}" is taken`)
      const row = tx
        .insert(users)
        .values({ ...rest, allFolders: folders === 'all' })
        .returning({ id: users.id })
        .get()
      store.setFolders(tx, row.id, folders)
      return row.id
    },
    setFolders(tx: Db, id: number, folders: FolderGrant): void {
      tx.delete(userFolders).where(eq(userFolders.userId, id)).run()
      tx.update(users)
        .set({ allFolders: folders === 'all' })
        .where(eq(users.id, id))
        .run()
      if (folders !== 'all' && folders.length > 0) {
        tx.insert(userFolders)
          .values(folders.map((folderId) => ({ userId: id, folderId })))
          .run()
      }
    },
    /** Refuses to leave the server without anyone who can administer it. */
    keepAnAdmin(row: UserRow, nextRole: Role | 'deleted'): void {
      if (row.role === 'admin' && nextRole !== 'admin' && store.adminCount() <= 1) {
        throw conflict(`${row.username} is the last admin; make someone else an admin first`)
      }
    },
  }
  return store
}

export type UserStore = ReturnType<typeof createUserStore>
