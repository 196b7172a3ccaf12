import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core'
import type * as schema from '../db/schema/index.ts'
import { isBun } from './runtime.ts'

export type Db = BaseSQLiteDatabase<'sync', unknown, typeof schema>

/** A SQLite connection: drizzle for queries, plus the few raw calls drizzle does not cover. */
export interface Sqlite {
  db: Db
  /** Run one or more statements that return nothing (PRAGMAs, DDL). */
  exec(sql: string): void
  /** Run a statement and return its rows as plain objects. */
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[]
  close(): void
}

export interface OpenOptions {
  readonly?: boolean
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number
}

// bun:sqlite under Bun (Bun cannot load better-sqlite3), better-sqlite3 under Node. Both are
// imported lazily so each build only ever loads the driver of its own runtime.
export async function openSqlite(path: string, opts: OpenOptions = {}): Promise<Sqlite> {
  const s = isBun ? await openBun(path, opts) : await openNode(path, opts)
  s.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? 5000}`)
  return s
}

async function openBun(path: string, opts: OpenOptions): Promise<Sqlite> {
  const { Database } = await import('bun:sqlite')
  const { drizzle } = await import('drizzle-orm/bun-sqlite')
  const schemaModule = await import('../db/schema/index.ts')
  const client = opts.readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true })
  return {
    db: immediateTransactions(drizzle(client, { schema: schemaModule }) as unknown as Db),
    exec: (sql) => client.run(sql),
    all: <T>(sql: string, ...params: unknown[]) =>
      client.query(sql).all(...(params as Parameters<ReturnType<typeof client.query>['all']>)) as T[],
    close: () => client.close(),
  }
}

async function openNode(path: string, opts: OpenOptions): Promise<Sqlite> {
  const { default: Database } = await import('better-sqlite3')
  const { drizzle } = await import('drizzle-orm/better-sqlite3')
  const schemaModule = await import('../db/schema/index.ts')
  const client = new Database(path, { readonly: opts.readonly ?? false })
  return {
    db: immediateTransactions(drizzle(client, { schema: schemaModule }) as unknown as Db),
    exec: (sql) => {
      client.exec(sql)
    },
    all: <T>(sql: string, ...params: unknown[]) => client.prepare(sql).all(...params) as T[],
    close: () => client.close(),
  }
}

// Transactions here write, and several processes share the file (server, `tonearm user`, `scan`,
// `backup`). A DEFERRED transaction that reads and then writes must upgrade its lock; in WAL mode
// that upgrade fails at once with SQLITE_BUSY (busy_timeout is not consulted) when another
// connection committed meanwhile. IMMEDIATE takes the write lock at BEGIN, where busy_timeout
// waits its turn. Callers may still ask for another behaviour explicitly.
function immediateTransactions(db: Db): Db {
  const original = db.transaction.bind(db)
  db.transaction = ((fn, config) => original(fn, { behavior: 'immediate', ...config })) as Db['transaction']
  return db
}
