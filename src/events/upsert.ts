import { type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from '../platform/sqlite.ts'

// Consumers fold a whole batch in memory first, then write each table with one multi-row upsert:
// a batch of a thousand plays of a few hundred tracks costs a handful of statements, not thousands.

const CHUNK = 200

const excluded = (c: SQLiteColumn) => sql.raw(`excluded."${c.name}"`)

/** `col + excluded.col` */
export const sum = (c: SQLiteColumn): SQL => sql`${c} + ${excluded(c)}`
/** The larger of the two, treating NULL as "nothing yet". */
export const greatest = (c: SQLiteColumn): SQL =>
  sql`coalesce(max(${c}, ${excluded(c)}), ${c}, ${excluded(c)})`
/** Take the new value when its time is at least the stored one ("latest wins", ties to the later event). */
export const newer = (c: SQLiteColumn, time: SQLiteColumn): SQL =>
  sql`CASE WHEN ${excluded(time)} IS NOT NULL AND ${excluded(time)} >= coalesce(${time}, ${excluded(time)}) THEN ${excluded(c)} ELSE ${c} END`

export function upsert<T extends SQLiteTable>(
  tx: Db,
  table: T,
  rows: readonly T['$inferInsert'][],
  target: SQLiteColumn[],
  set: Record<string, SQL>,
): void {
  for (let i = 0; i < rows.length; i += CHUNK) {
    tx.insert(table)
      .values(rows.slice(i, i + CHUNK) as T['$inferInsert'][])
      .onConflictDoUpdate({ target, set })
      .run()
  }
}

export function insertAll<T extends SQLiteTable>(tx: Db, table: T, rows: readonly T['$inferInsert'][]): void {
  for (let i = 0; i < rows.length; i += CHUNK) {
    tx.insert(table)
      .values(rows.slice(i, i + CHUNK) as T['$inferInsert'][])
      .run()
  }
}

/** Rows keyed by their primary key, created on first touch. */
export function keyed<R>(): { get(key: string, init: () => R): R; rows(): R[] } {
  const m = new Map<string, R>()
  return {
    get(key, init) {
      let r = m.get(key)
      if (!r) {
        r = init()
        m.set(key, r)
      }
      return r
    },
    rows: () => [...m.values()],
  }
}
