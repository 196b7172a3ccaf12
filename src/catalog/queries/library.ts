import { join } from 'node:path'
import { type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'

/**
 * A present track as the audio domain takes it (its `Source`): the id streaming uses, the file,
 * what the scanner already knows of its format, and the payload hash loudness is filed under.
 */
export interface LibraryTrack {
  id: string
  path: string
  contentId: string
  durationMs?: number
  codec?: string
  lossless?: boolean
  sampleRate?: number
}

/** Which tracks background audio work or `tonearm transcode` should visit. */
export interface LibrarySelection {
  albumId?: number
  artistId?: number
  /** The N most recently added. */
  recent?: number
  /** The N most played by the household. */
  mostPlayed?: number
  /** Only those whose loudness has not been analysed. */
  unmeasured?: boolean
  /** Keyset paging over track ids (ascending), for walking a large library in steps. */
  afterId?: number
  limit?: number
}

interface Row {
  id: number
  root: string
  dir: string
  name: string
  fingerprint: string
  duration: number | null
  codec: string | null
  lossless: number | null
  sample_rate: number | null
}

const toTrack = (r: Row): LibraryTrack => ({
  id: String(r.id),
  path: join(r.root, r.dir, r.name),
  contentId: r.fingerprint,
  durationMs: r.duration === null ? undefined : Math.round(r.duration * 1000),
  codec: r.codec ?? undefined,
  lossless: r.lossless === null ? undefined : r.lossless === 1,
  sampleRate: r.sample_rate ?? undefined,
})

const MEASURED = sql`EXISTS (SELECT 1 FROM audio_loudness lo WHERE lo.content_id = t.fingerprint)`

export function selectLibrary(db: Db, s: LibrarySelection = {}): LibraryTrack[] {
  const filters: SQL[] = [sql`t.missing_at IS NULL`, sql`f.active = 1`]
  if (s.albumId !== undefined) filters.push(sql`t.album_id = ${s.albumId}`)
  if (s.artistId !== undefined)
    filters.push(sql`(t.id IN (SELECT track_id FROM track_artists WHERE artist_id = ${s.artistId})
      OR t.album_id IN (SELECT album_id FROM album_artists WHERE artist_id = ${s.artistId}))`)
  if (s.unmeasured) filters.push(sql`NOT ${MEASURED}`)
  if (s.afterId !== undefined) filters.push(sql`t.id > ${s.afterId}`)
  let order = sql`t.id`
  let limit = s.limit
  if (s.recent !== undefined) {
    order = sql`t.created_at DESC, t.id DESC`
    limit = Math.min(limit ?? s.recent, s.recent)
  } else if (s.mostPlayed !== undefined) {
    // Household plays from the events pipeline's `plays` consumer; unplayed tracks never qualify.
    filters.push(sql`pc.plays > 0`)
    order = sql`pc.plays DESC, t.id`
    limit = Math.min(limit ?? s.mostPlayed, s.mostPlayed)
  }
  const plays =
    s.mostPlayed !== undefined
      ? sql`JOIN play_counts_global pc ON pc.kind = 'track' AND pc.item_id = CAST(t.id AS TEXT)`
      : sql``
  return db
    .all<Row>(sql`SELECT t.id, f.path AS root, t.dir, t.name, t.fingerprint, t.duration, t.codec,
      t.lossless, t.sample_rate FROM tracks t JOIN music_folders f ON f.id = t.folder_id ${plays}
      WHERE ${sql.join(filters, sql` AND `)} ORDER BY ${order} ${limit === undefined ? sql`` : sql`LIMIT ${limit}`}`)
    .map(toTrack)
}

/** Present tracks in a selection and how many of them still lack loudness analysis. */
export function libraryCounts(db: Db): { tracks: number; unmeasured: number } {
  const [row] = db.all<{ tracks: number; unmeasured: number }>(sql`SELECT count(*) AS tracks,
      coalesce(sum(NOT ${MEASURED}), 0) AS unmeasured
    FROM tracks t JOIN music_folders f ON f.id = t.folder_id WHERE t.missing_at IS NULL AND f.active = 1`)
  return row ?? { tracks: 0, unmeasured: 0 }
}
