import { sql } from 'drizzle-orm'
import { idSet, inFolders } from '../catalog/index.ts'
import { invalid } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Viewer } from './types.ts'

// Finding entries and neighbours with indexed queries, so a change to a long playlist reads a few
// rows rather than all of them (measured: materialising 10,000 entries cost more than the write).
// A row whose key starts with `~` is parked by a move in progress: `~` sorts after every digit
// fractional-indexing uses, and every query here leaves parked rows out.

export interface Entry {
  id: number
  trackId: number
  position: string
  addedAt: number
  addedBy: number | null
  addedByName: string | null
}

const ACTIVE = sql`e.position < '~'`
const visible = (viewer: Viewer) =>
  sql`t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, viewer.folderIds)}`

const COLUMNS = sql`e.id, e.track_id AS trackId, e.position, e.added_at AS addedAt, e.added_by AS addedBy,
  (SELECT username FROM users WHERE id = e.added_by) AS addedByName`

export function entryCalls(db: Db, viewer: Viewer, playlistId: number) {
  const fromVisible = sql`FROM playlist_entries e JOIN tracks t ON t.id = e.track_id
    WHERE e.playlist_id = ${playlistId} AND ${ACTIVE} AND ${visible(viewer)}`

  /** The entries the viewer sees, in order. */
  const visibleEntries = (): Entry[] =>
    db.all<Entry>(sql`SELECT ${COLUMNS} ${fromVisible} ORDER BY e.position`)

  const visibleCount = (): number =>
    db.all<{ n: number }>(sql`SELECT count(*) AS n ${fromVisible}`)[0]?.n ?? 0

  /** All entries, hidden ones included: the limit counts them too. */
  const total = (): number =>
    db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM playlist_entries WHERE playlist_id = ${playlistId}`,
    )[0]?.n ?? 0

  /**
   * The visible entries at these 0-based indexes. A few are found with OFFSET, which SQLite walks
   * inside the index (measured: a window function over 10,000 entries cost 15 ms, OFFSET well
   * under one); many at once read the visible list once.
   */
  function atIndexes(indexes: readonly number[]): Map<number, Entry> {
    const out = new Map<number, Entry>()
    const wanted = [...new Set(indexes)]
    if (wanted.length > 16) {
      const all = visibleEntries()
      for (const i of wanted) if (all[i]) out.set(i, all[i] as Entry)
      return out
    }
    for (const i of wanted) {
      const row = db.all<Entry>(
        sql`SELECT ${COLUMNS} ${fromVisible} ORDER BY e.position LIMIT 1 OFFSET ${i}`,
      )[0]
      if (row) out.set(i, row)
    }
    return out
  }

  /** The visible entries among these ids. */
  function byIds(entryIds: readonly number[]): Map<number, Entry> {
    const out = new Map<number, Entry>()
    // The unary `+` keeps SQLite from scanning the playlist's order index: a few rows by id are cheaper.
    const rows =
      db.all<Entry>(sql`SELECT ${COLUMNS} FROM playlist_entries e JOIN tracks t ON t.id = e.track_id
      WHERE e.id IN ${idSet(entryIds)} AND +e.playlist_id = ${playlistId} AND +e.position < '~' AND ${visible(viewer)}`)
    for (const r of rows) out.set(r.id, r)
    return out
  }

  /** The key right before `key` (any entry, hidden ones included), or null at the start. */
  const keyBefore = (key: string): string | null =>
    // Parked keys sort after every real one, so `< key` already leaves them out.
    db.all<{ position: string }>(sql`SELECT position FROM playlist_entries e
      WHERE e.playlist_id = ${playlistId} AND e.position < ${key} ORDER BY e.position DESC LIMIT 1`)[0]
      ?.position ?? null

  const lastKey = (): string | null =>
    db.all<{ position: string }>(sql`SELECT position FROM playlist_entries e
      WHERE e.playlist_id = ${playlistId} AND ${ACTIVE} ORDER BY e.position DESC LIMIT 1`)[0]?.position ??
    null

  /**
   * The entries a selection names, in the order named (entry ids, then indexes), each once;
   * each must be one the viewer sees, else a 400 naming it.
   */
  function select(selection: { entryIds?: readonly number[]; indexes?: readonly number[] }): Entry[] {
    const chosen = new Map<number, Entry>()
    if (selection.entryIds?.length) {
      const found = byIds(selection.entryIds)
      selection.entryIds.forEach((id, i) => {
        const entry = found.get(id)
        if (!entry)
          throw invalid(`entryIds[${i}]: ${id} is not an entry of this playlist`, { field: `entryIds[${i}]` })
        chosen.set(id, entry)
      })
    }
    if (selection.indexes?.length) {
      const found = atIndexes(selection.indexes.filter((n) => Number.isSafeInteger(n) && n >= 0))
      selection.indexes.forEach((index, i) => {
        const entry = found.get(index)
        if (!entry)
          throw invalid(
            `indexes[${i}]: ${index} is not an index of this playlist (it has ${visibleCount()} entries)`,
            { field: `indexes[${i}]` },
          )
        chosen.set(entry.id, entry)
      })
    }
    return [...chosen.values()]
  }

  /** Moves rows out of the way of key generation until they get their new keys. */
  const park = (entries: readonly Entry[]) =>
    db.run(
      sql`UPDATE playlist_entries SET position = '~' || id WHERE id IN ${idSet(entries.map((e) => e.id))}`,
    )

  return { visibleEntries, visibleCount, total, atIndexes, select, keyBefore, lastKey, park }
}
