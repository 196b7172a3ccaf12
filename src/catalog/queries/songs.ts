import { type SQL, sql } from 'drizzle-orm'
import { invalid } from '../../lib/errors.ts'
import type { Db } from '../../platform/sqlite.ts'
import { fold, sortKeyOf } from '../normalize.ts'
import { inFolders, iso } from './page.ts'
import { trackFilters } from './tracks.ts'

// Tracks as a player-facing API lists them: everything a song entry shows (file facts, tags,
// artists, genres) for many tracks in a few bulk queries, in offset pages — the shape the Subsonic
// API asks for (its lists page by `offset`/`size`, and an album or a directory lists all at once).

export interface Song {
  id: number
  folderId: number
  /** Directory relative to the music folder ('' at its root) and the file name. */
  dir: string
  file: string
  size: number
  title: string
  artist: string
  albumArtist: string
  albumId: number
  album: string
  trackNo: number | null
  discNo: number | null
  year: number | null
  duration: number | null
  bitrate: number | null
  sampleRate: number | null
  bitDepth: number | null
  channels: number | null
  codec: string | null
  coverId: string | null
  createdAt: string
  bpm: number | null
  comment: string | null
  isrc: string | null
  mbRecordingId: string | null
  composer: string | null
  replayGain: {
    trackGain: number | null
    trackPeak: number | null
    albumGain: number | null
    albumPeak: number | null
  }
  genres: string[]
  artists: { id: number; name: string }[]
  albumArtists: { id: number; name: string }[]
  composers: { id: number; name: string }[]
}

export type SongOrder = 'album' | 'name' | 'random' | 'dir' | 'tree'

export interface SongQuery {
  folderIds?: readonly number[]
  ids?: readonly number[]
  albumId?: number
  artistId?: number
  genre?: string
  fromYear?: number
  toYear?: number
  /** Tracks directly inside this directory of this folder. */
  dir?: { folderId: number; dir: string }
  /** Tracks in this directory of this folder or any below it. */
  under?: { folderId: number; dir: string }
  order?: SongOrder
  offset?: number
  limit?: number
}

export const MAX_SONGS = 500

type Row = Record<string, unknown> & { id: number }

const ORDERS: Record<SongOrder, SQL> = {
  album: sql`al.sort_key, t.album_id, coalesce(t.disc_no, 1), coalesce(t.track_no, 0), t.sort_key, t.id`,
  name: sql`t.sort_key, t.id`,
  random: sql`random()`,
  dir: sql`coalesce(t.disc_no, 1), coalesce(t.track_no, 0), t.name, t.id`,
  tree: sql`t.dir, t.name, t.id`,
}

const idList = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )

export function listSongs(db: Db, q: SongQuery = {}): Song[] {
  const limit = q.limit ?? MAX_SONGS
  const offset = q.offset ?? 0
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_SONGS)
    throw invalid(`size: must be a whole number from 0 to ${MAX_SONGS}`, { field: 'size' })
  if (!Number.isInteger(offset) || offset < 0)
    throw invalid('offset: must be a whole number, 0 or more', { field: 'offset' })
  if (q.ids?.length === 0 || limit === 0) return []
  const filters = trackFilters(q)
  if (q.ids) filters.push(sql`t.id IN (${idList(q.ids)})`)
  if (q.fromYear !== undefined) filters.push(sql`t.year >= ${q.fromYear}`)
  if (q.toYear !== undefined) filters.push(sql`t.year <= ${q.toYear}`)
  if (q.dir) filters.push(sql`t.folder_id = ${q.dir.folderId} AND t.dir = ${q.dir.dir}`)
  if (q.under) {
    // A prefix compared with substr rather than LIKE, so `%` and `_` in folder names are literal.
    const prefix = q.under.dir === '' ? '' : `${q.under.dir}/`
    filters.push(sql`t.folder_id = ${q.under.folderId} AND (t.dir = ${q.under.dir}
      OR substr(t.dir, 1, ${prefix.length}) = ${prefix})`)
  }
  const order = q.order ?? 'album'
  // Random songs draw their ids first, so the sort by random() carries ids rather than whole rows
  // joined to their albums (25 → 10 ms at 100k tracks). The filters name only the track's columns.
  const where =
    order === 'random'
      ? sql`t.id IN (SELECT t.id FROM tracks t WHERE ${sql.join(filters, sql` AND `)}
        ORDER BY random() LIMIT ${limit} OFFSET ${offset})`
      : sql.join(filters, sql` AND `)
  const rows =
    db.all<Row>(sql`SELECT t.*, al.name AS album_name, coalesce(t.cover_id, al.cover_id) AS effective_cover
    FROM tracks t JOIN albums al ON al.id = t.album_id
    WHERE ${where}
    ORDER BY ${ORDERS[order]} LIMIT ${limit} ${order === 'random' ? sql`` : sql`OFFSET ${offset}`}`)
  const songs = toSongs(db, rows)
  if (!q.ids) return songs
  // Asked by id: answer in the order asked (a play queue, a playlist).
  const byId = new Map(songs.map((s) => [s.id, s]))
  return q.ids.flatMap((id) => byId.get(id) ?? [])
}

function toSongs(db: Db, rows: Row[]): Song[] {
  if (rows.length === 0) return []
  const ids = idList(rows.map((r) => r.id))
  const genres = new Map<number, string[]>()
  for (const g of db.all<{
    track_id: number
    name: string
  }>(sql`SELECT tg.track_id, g.name FROM track_genres tg
      JOIN genres g ON g.id = tg.genre_id WHERE tg.track_id IN (${ids}) ORDER BY tg.track_id, tg.position`))
    genres.set(g.track_id, [...(genres.get(g.track_id) ?? []), g.name])
  const people = new Map<string, { id: number; name: string }[]>()
  for (const a of db.all<{ track_id: number; role: string; id: number; name: string }>(sql`SELECT ta.track_id,
      ta.role, ar.id, ar.name FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id
      WHERE ta.track_id IN (${ids}) ORDER BY ta.track_id, ta.role, ta.position`)) {
    const key = `${a.track_id}:${a.role}`
    people.set(key, [...(people.get(key) ?? []), { id: a.id, name: a.name }])
  }
  const albumIds = idList([...new Set(rows.map((r) => r.album_id as number))])
  const albumArtists = new Map<number, { id: number; name: string }[]>()
  for (const a of db.all<{
    album_id: number
    id: number
    name: string
  }>(sql`SELECT aa.album_id, ar.id, ar.name
      FROM album_artists aa JOIN artists ar ON ar.id = aa.artist_id WHERE aa.album_id IN (${albumIds})
      ORDER BY aa.album_id, aa.position`))
    albumArtists.set(a.album_id, [...(albumArtists.get(a.album_id) ?? []), { id: a.id, name: a.name }])
  return rows.map((r) => {
    const v = <T>(k: string) => r[k] as T
    return {
      id: r.id,
      folderId: v('folder_id'),
      dir: v('dir'),
      file: v('name'),
      size: v('size'),
      title: v('title'),
      artist: v('artist'),
      albumArtist: v('album_artist'),
      albumId: v('album_id'),
      album: v('album_name'),
      trackNo: v('track_no'),
      discNo: v('disc_no'),
      year: v('year'),
      duration: v('duration'),
      bitrate: v('bitrate'),
      sampleRate: v('sample_rate'),
      bitDepth: v('bit_depth'),
      channels: v('channels'),
      codec: v('codec'),
      coverId: v('effective_cover'),
      createdAt: iso(v('created_at')) as string,
      bpm: v('bpm'),
      comment: v('comment'),
      isrc: v('isrc'),
      mbRecordingId: v('mb_recording_id'),
      composer: v('composer'),
      replayGain: {
        trackGain: v('rg_track_gain'),
        trackPeak: v('rg_track_peak'),
        albumGain: v('rg_album_gain'),
        albumPeak: v('rg_album_peak'),
      },
      genres: genres.get(r.id) ?? [],
      artists: people.get(`${r.id}:artist`) ?? [],
      albumArtists: albumArtists.get(v('album_id')) ?? [],
      composers: people.get(`${r.id}:composer`) ?? [],
    }
  })
}

export interface SongLyrics {
  trackId: number
  artist: string
  title: string
  lyrics: { source: string; synced: boolean; lang: string | null; text: string }[]
}

/** Matches by folded title (and artist when given), as players that know only the names ask. */
export function findLyrics(
  db: Db,
  q: { artist?: string; title: string; folderIds?: readonly number[] },
): SongLyrics | null {
  const rows = db.all<{
    id: number
    artist: string
    title: string
  }>(sql`SELECT t.id, t.artist, t.title FROM tracks t
    WHERE t.sort_key = ${sortKeyOf(q.title)} AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, q.folderIds)}
      AND EXISTS (SELECT 1 FROM lyrics l WHERE l.track_id = t.id) ORDER BY t.id LIMIT 50`)
  const artist = q.artist === undefined ? undefined : fold(q.artist)
  const hit = rows.find((r) => artist === undefined || fold(r.artist) === artist)
  if (!hit) return null
  const lyrics = db
    .all<{ source: string; synced: number; lang: string | null; text: string }>(
      sql`SELECT source, synced, lang, text FROM lyrics WHERE track_id = ${hit.id} ORDER BY id`,
    )
    .map((l) => ({ ...l, synced: l.synced === 1 }))
  return { trackId: hit.id, artist: hit.artist, title: hit.title, lyrics }
}
