import { sql } from 'drizzle-orm'
import { invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { BOOKMARK_COMMENT_MAX, type Bookmark, type Summaries, type Viewer } from './types.ts'

interface Row {
  track_id: number
  position_ms: number
  comment: string
  created_at: number
  changed_at: number
}

const iso = (ms: number) => new Date(ms).toISOString()

export function bookmarkCalls(db: Db, summaries: Summaries, now: () => number) {
  function toBookmarks(viewer: Viewer, rows: Row[]): Bookmark[] {
    const tracks = summaries.tracks(
      rows.map((r) => r.track_id),
      viewer.folderIds,
    )
    return rows.flatMap((r) => {
      const track = tracks.get(r.track_id)
      if (!track) return []
      return [
        {
          trackId: r.track_id,
          positionMs: r.position_ms,
          comment: r.comment,
          createdAt: iso(r.created_at),
          changedAt: iso(r.changed_at),
          track,
        },
      ]
    })
  }

  return {
    /** The viewer's bookmarks of tracks they may still see, most recently changed first. */
    listBookmarks(viewer: Viewer): Bookmark[] {
      return toBookmarks(
        viewer,
        db.all<Row>(sql`SELECT track_id, position_ms, comment, created_at, changed_at FROM bookmarks
          WHERE user_id = ${viewer.userId} ORDER BY changed_at DESC, id DESC`),
      )
    },

    /** Creates or moves the viewer's one bookmark of a track. */
    saveBookmark(viewer: Viewer, trackId: number, input: { positionMs: number; comment?: string }): Bookmark {
      const { positionMs } = input
      if (!Number.isSafeInteger(positionMs) || positionMs < 0)
        throw invalid('positionMs: must be a whole number of milliseconds, 0 or more', {
          field: 'positionMs',
        })
      const comment = input.comment ?? ''
      if (comment.length > BOOKMARK_COMMENT_MAX)
        throw invalid(`comment: at most ${BOOKMARK_COMMENT_MAX} characters`, { field: 'comment' })
      const track = summaries.tracks([trackId], viewer.folderIds).get(trackId)
      if (!track) throw notFound(`track ${trackId}`)
      if (track.duration !== null && positionMs > Math.ceil(track.duration * 1000))
        throw invalid(`positionMs: beyond the end of the track (${Math.ceil(track.duration * 1000)} ms)`, {
          field: 'positionMs',
        })
      const at = now()
      db.run(sql`INSERT INTO bookmarks (user_id, track_id, position_ms, comment, created_at, changed_at)
        VALUES (${viewer.userId}, ${trackId}, ${positionMs}, ${comment}, ${at}, ${at})
        ON CONFLICT (user_id, track_id) DO UPDATE SET position_ms = excluded.position_ms,
          comment = excluded.comment, changed_at = excluded.changed_at`)
      const row = db.all<Row>(sql`SELECT track_id, position_ms, comment, created_at, changed_at FROM bookmarks
        WHERE user_id = ${viewer.userId} AND track_id = ${trackId}`)
      return toBookmarks(viewer, row)[0] as Bookmark
    },

    /** Deletes the viewer's bookmark of a track; 404 when there was none. */
    deleteBookmark(viewer: Viewer, trackId: number): void {
      const gone = db.all(
        sql`DELETE FROM bookmarks WHERE user_id = ${viewer.userId} AND track_id = ${trackId} RETURNING id`,
      )
      if (gone.length === 0) throw notFound(`bookmark of track ${trackId}`)
    },
  }
}
