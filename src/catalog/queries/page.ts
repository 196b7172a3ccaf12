import { type SQL, sql } from 'drizzle-orm'
import { invalid } from '../../lib/errors.ts'

// Keyset (cursor) pagination shared by every list: the cursor is the sort key of the last row,
// opaque to clients (base64url JSON), so a page never shifts when rows are added before it.

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 500

export interface PageRequest {
  cursor?: string
  limit?: number
  /** Only what these music folders hold (a user's grants); all folders when absent. */
  folderIds?: readonly number[]
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export type KeyValue = string | number

export interface SortKey<R = never> {
  expr: SQL
  /** The same value read from a result row, for the next cursor. */
  of: (row: R) => KeyValue
  desc?: boolean
}

/** `list` names the list and its order, so a cursor from another one is refused, not misread. */
export function encodeCursor(list: string, values: KeyValue[]): string {
  return Buffer.from(JSON.stringify([list, ...values])).toString('base64url')
}

export function decodeCursor(cursor: string | undefined, list: string, length: number): KeyValue[] | null {
  if (cursor === undefined || cursor === '') return null
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    values = null
  }
  const ok =
    Array.isArray(values) &&
    values.length === length + 1 &&
    values[0] === list &&
    values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
  if (!ok)
    throw invalid('cursor: not a cursor this list returned (it may belong to another sort order)', {
      field: 'cursor',
    })
  return (values as KeyValue[]).slice(1)
}

export function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalid(`limit: must be a whole number from 1 to ${MAX_LIMIT}`, { field: 'limit' })
  return limit
}

/** `(k1, k2, …) after (v1, v2, …)` for keys sorted in mixed directions. */
export function after<R>(keys: SortKey<R>[], values: KeyValue[] | null): SQL {
  if (!values) return sql`1`
  const ors = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => sql`${k.expr} = ${values[j]}`)
    const beyond = key.desc ? sql`${key.expr} < ${values[i]}` : sql`${key.expr} > ${values[i]}`
    return sql.join([...equal, beyond], sql` AND `)
  })
  return sql`(${sql.join(
    ors.map((o) => sql`(${o})`),
    sql` OR `,
  )})`
}

export function orderBy<R>(keys: SortKey<R>[]): SQL {
  return sql.join(
    keys.map((k) => (k.desc ? sql`${k.expr} DESC` : sql`${k.expr} ASC`)),
    sql`, `,
  )
}

/** Cuts the extra row fetched to learn whether there is a next page, and encodes its cursor. */
export function toPage<R, T>(
  list: string,
  rows: R[],
  limit: number,
  keys: SortKey<R>[],
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit
  const kept = more ? rows.slice(0, limit) : rows
  const last = kept[kept.length - 1]
  return {
    items: kept.map(map),
    nextCursor:
      more && last
        ? encodeCursor(
            list,
            keys.map((k) => k.of(last)),
          )
        : null,
  }
}

/** `t.folder_id IN (…)`, or true when no folder filter applies. */
export function inFolders(column: SQL, folderIds: readonly number[] | undefined): SQL {
  if (!folderIds) return sql`1`
  if (folderIds.length === 0) return sql`0`
  return sql`${column} IN (${sql.join(
    folderIds.map((id) => sql`${id}`),
    sql`, `,
  )})`
}

export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString()

/** Every page of a cursor-paginated list, for the bounded lists a caller needs whole. */
export function allPages<T>(fetch: (cursor?: string) => Page<T>): T[] {
  const out: T[] = []
  let cursor: string | undefined
  do {
    const page = fetch(cursor)
    out.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return out
}
