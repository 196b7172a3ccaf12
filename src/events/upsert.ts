import { getTableColumns, is, SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Db } from '../platform/sqlite.ts'

// Consumers fold a batch in memory first (a thousand plays of a few hundred tracks become a few
// hundred rows), then write each row with a statement prepared once per consumer. Building SQL
// per call is what costs here: a prepared single-row upsert runs about four times faster than a
// freshly built multi-row one.

const excluded = (c: SQLiteColumn) => sql.raw(`excluded."${c.name}"`)

/** `col + excluded.col` */
export const sum = (c: SQLiteColumn): SQL => sql`${c} + ${excluded(c)}`
/** The larger of the two, treating NULL as "nothing yet". */
export const greatest = (c: SQLiteColumn): SQL =>
  sql`coalesce(max(${c}, ${excluded(c)}), ${c}, ${excluded(c)})`
/** Take the new value when its time is at least the stored one ("latest wins", ties to the later event). */
export const newer = (c: SQLiteColumn, time: SQLiteColumn): SQL =>
  sql`CASE WHEN ${excluded(time)} IS NOT NULL AND ${excluded(time)} >= coalesce(${time}, ${excluded(time)}) THEN ${excluded(c)} ELSE ${c} END`

type Row<T extends SQLiteTable> = T['$inferInsert']

/** A statement over every column but an autoincrement id, its values bound from a row by key. */
function columnsOf(table: SQLiteTable): string[] {
  return Object.entries(getTableColumns(table))
    .filter(([, c]) => !(c as { autoIncrement?: boolean }).autoIncrement)
    .map(([key]) => key)
}

function binder(table: SQLiteTable, keys: string[]) {
  const columns = getTableColumns(table)
  // A prepared statement binds every column, so a column a row leaves out gets its declared
  // default (the tables written here only have plain-value defaults), else NULL.
  const defaults = Object.fromEntries(
    keys.map((k) => {
      const d = columns[k]?.default
      return [k, d === undefined || is(d, SQL) ? null : d]
    }),
  )
  return (row: Record<string, unknown>) => {
    for (const k of keys) if (row[k] === undefined) row[k] = defaults[k]
    return row
  }
}

/** Prepared `INSERT … ON CONFLICT (target) DO UPDATE SET …`; returns a writer for many rows. */
export function preparedUpsert<T extends SQLiteTable>(
  db: Db,
  table: T,
  target: SQLiteColumn[],
  set: Record<string, SQL>,
): (rows: readonly Row<T>[]) => void {
  const keys = columnsOf(table)
  const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]))
  const stmt = db
    .insert(table)
    .values(values as Row<T>)
    .onConflictDoUpdate({ target, set })
    .prepare()
  const bind = binder(table, keys)
  return (rows) => {
    for (const r of rows) stmt.run(bind(r as Record<string, unknown>))
  }
}

/** Prepared plain INSERT; returns a writer for many rows. */
export function preparedInsert<T extends SQLiteTable>(db: Db, table: T): (rows: readonly Row<T>[]) => void {
  const keys = columnsOf(table)
  const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]))
  const stmt = db
    .insert(table)
    .values(values as Row<T>)
    .prepare()
  const bind = binder(table, keys)
  return (rows) => {
    for (const r of rows) stmt.run(bind(r as Record<string, unknown>))
  }
}

/** Prepares on first use: consumers are built before anything needs their statements. */
export function lazy<F>(make: () => F): () => F {
  let made: F | undefined
  return () => {
    made ??= make()
    return made
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
