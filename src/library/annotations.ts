import { type SQL, sql } from 'drizzle-orm'
import { idSet } from '../catalog/index.ts'
import { invalid } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Annotation, ItemKind, ItemRef, Summaries, Viewer } from './types.ts'

// Stars and ratings. Tracks keep theirs in the catalog's track_annotations (the scanner carries
// that table through file moves; its play_count column is the catalog's), albums and artists in
// tables of their own. A row left with no star, rating or plays is deleted: an empty
// track_annotations row would otherwise keep a long-missing track from ever being purged.

const TABLES: Record<ItemKind, { table: SQL; column: SQL; conflict: SQL; empty: SQL }> = {
  track: {
    table: sql`track_annotations`,
    column: sql`track_id`,
    // The unique index is partial (user_id IS NOT NULL), so the upsert must name its condition.
    conflict: sql`(user_id, track_id) WHERE user_id IS NOT NULL`,
    empty: sql`starred_at IS NULL AND rating IS NULL AND play_count = 0 AND last_played_at IS NULL`,
  },
  album: {
    table: sql`album_annotations`,
    column: sql`album_id`,
    conflict: sql`(user_id, album_id)`,
    empty: sql`starred_at IS NULL AND rating IS NULL`,
  },
  artist: {
    table: sql`artist_annotations`,
    column: sql`artist_id`,
    conflict: sql`(user_id, artist_id)`,
    empty: sql`starred_at IS NULL AND rating IS NULL`,
  },
}

export function annotationCalls(db: Db, summaries: Summaries, now: () => number) {
  const lookups: Record<ItemKind, (ids: readonly number[], f: readonly number[]) => Map<number, unknown>> = {
    track: summaries.tracks,
    album: summaries.albums,
    artist: summaries.artists,
  }

  /** Every item must be one the viewer may see; else 400 naming the first that is not. */
  function checkVisible(viewer: Viewer, items: readonly ItemRef[]): void {
    for (const kind of Object.keys(lookups) as ItemKind[]) {
      const ids = items.filter((i) => i.kind === kind).map((i) => i.id)
      if (ids.length === 0) continue
      const found = lookups[kind](
        ids.filter((id) => Number.isSafeInteger(id) && id > 0),
        viewer.folderIds,
      )
      const missing = ids.find((id) => !found.has(id))
      if (missing !== undefined)
        throw invalid(`${kind}Ids: there is no ${kind} ${missing} you may see`, { field: `${kind}Ids` })
    }
  }

  function prune(kind: ItemKind, userId: number, ids: readonly number[]) {
    const t = TABLES[kind]
    db.run(
      sql`DELETE FROM ${t.table} WHERE user_id = ${userId} AND ${t.column} IN ${idSet(ids)} AND ${t.empty}`,
    )
  }

  function setStars(viewer: Viewer, items: readonly ItemRef[], starred: boolean): void {
    if (starred) checkVisible(viewer, items)
    const at = now()
    db.transaction(() => {
      for (const kind of Object.keys(TABLES) as ItemKind[]) {
        const ids = [...new Set(items.filter((i) => i.kind === kind).map((i) => i.id))]
        if (ids.length === 0) continue
        const t = TABLES[kind]
        if (starred) {
          // Starring again keeps the first star's time, as a repeated tap must not reorder the list.
          for (const id of ids)
            db.run(sql`INSERT INTO ${t.table} (user_id, ${t.column}, starred_at) VALUES (${viewer.userId}, ${id}, ${at})
              ON CONFLICT ${t.conflict} DO UPDATE SET starred_at = coalesce(starred_at, excluded.starred_at)`)
        } else {
          db.run(
            sql`UPDATE ${t.table} SET starred_at = NULL WHERE user_id = ${viewer.userId} AND ${t.column} IN ${idSet(ids)}`,
          )
          prune(kind, viewer.userId, ids)
        }
      }
    })
  }

  return {
    /** Stars items the viewer may see (400 naming the first they may not); starring twice keeps the first time. */
    star: (viewer: Viewer, items: readonly ItemRef[]) => setStars(viewer, items, true),
    /** Removes stars; items that were not starred, or no longer exist, are no error. */
    unstar: (viewer: Viewer, items: readonly ItemRef[]) => setStars(viewer, items, false),

    /** A rating of 1–5, or 0 to clear it. */
    setRating(viewer: Viewer, item: ItemRef, rating: number): void {
      if (!Number.isInteger(rating) || rating < 0 || rating > 5)
        throw invalid('rating: must be a whole number from 0 (clears) to 5', { field: 'rating' })
      if (rating > 0) checkVisible(viewer, [item])
      const t = TABLES[item.kind]
      db.transaction(() => {
        if (rating === 0) {
          db.run(
            sql`UPDATE ${t.table} SET rating = NULL WHERE user_id = ${viewer.userId} AND ${t.column} = ${item.id}`,
          )
          prune(item.kind, viewer.userId, [item.id])
        } else {
          db.run(sql`INSERT INTO ${t.table} (user_id, ${t.column}, rating) VALUES (${viewer.userId}, ${item.id}, ${rating})
            ON CONFLICT ${t.conflict} DO UPDATE SET rating = excluded.rating`)
        }
      })
    },

    /**
     * The viewer's star and rating of each of `ids`, in one query: what a list page
     * attaches to its summaries. Ids without either are absent from the map.
     */
    annotations(userId: number, kind: ItemKind, ids: readonly number[]): Map<number, Annotation> {
      const out = new Map<number, Annotation>()
      const t = TABLES[kind]
      if (ids.length === 0) return out
      const rows = db.all<{ id: number; starred_at: number | null; rating: number | null }>(
        sql`SELECT ${t.column} AS id, starred_at, rating FROM ${t.table}
          WHERE user_id = ${userId} AND ${t.column} IN ${idSet(ids)}`,
      )
      for (const r of rows) {
        if (r.starred_at === null && r.rating === null) continue
        out.set(r.id, {
          starred: r.starred_at === null ? null : new Date(r.starred_at).toISOString(),
          userRating: r.rating,
        })
      }
      return out
    },

    /** Rated ids of one kind, highest rating first (unfiltered: the caller filters by grants). */
    ratedIds(userId: number, kind: ItemKind): { id: number; rating: number }[] {
      const t = TABLES[kind]
      return db.all<{ id: number; rating: number }>(
        sql`SELECT ${t.column} AS id, rating FROM ${t.table}
          WHERE user_id = ${userId} AND rating IS NOT NULL ORDER BY rating DESC, ${t.column}`,
      )
    },

    /** Starred ids of one kind, newest star first (unfiltered: the caller filters by grants). */
    starredIds(userId: number, kind: ItemKind): { id: number; starredAt: number }[] {
      const t = TABLES[kind]
      return db.all<{ id: number; starredAt: number }>(
        sql`SELECT ${t.column} AS id, starred_at AS starredAt FROM ${t.table}
          WHERE user_id = ${userId} AND starred_at IS NOT NULL ORDER BY starred_at DESC, ${t.column}`,
      )
    },
  }
}
