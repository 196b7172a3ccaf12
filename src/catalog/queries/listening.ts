import { sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'

/** What the listening statistics need of a track: its length (for the play rule) and its album and artists. */
export interface ListeningTrack {
  durationMs: number
  albumId: string | null
  artistIds: string[]
  title: string
  artist: string
  album: string
}

// Synchronous and cheap, because the events consumers call it inside their transactions. Missing
// tracks still resolve: a play reported for a file that went away a moment ago is still a play.
export function lookupListeningTrack(db: Db, trackId: string): ListeningTrack | null {
  const id = Number(trackId)
  if (!Number.isSafeInteger(id) || id <= 0) return null
  const row = db.all<{
    duration: number
    album_id: number | null
    title: string
    artist: string
    album: string | null
  }>(
    sql`SELECT t.duration, t.album_id, t.title, t.artist, al.name AS album
        FROM tracks t LEFT JOIN albums al ON al.id = t.album_id WHERE t.id = ${id}`,
  )[0]
  if (!row) return null
  const artists = db.all<{ artist_id: number }>(
    sql`SELECT artist_id FROM track_artists WHERE track_id = ${id} AND role = 'artist' ORDER BY position`,
  )
  return {
    durationMs: Math.round((row.duration ?? 0) * 1000),
    albumId: row.album_id === null ? null : String(row.album_id),
    artistIds: artists.map((a) => String(a.artist_id)),
    title: row.title,
    artist: row.artist,
    album: row.album ?? '',
  }
}
