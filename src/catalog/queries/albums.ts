import { type SQL, sql } from 'drizzle-orm'
import { DEFAULT_GAIN } from '../../audio/index.ts'
import { invalid, notFound } from '../../lib/errors.ts'
import type { Db } from '../../platform/sqlite.ts'
import { fold } from '../normalize.ts'
import { type AlbumLoudnessInfo, albumLoudnessOf } from './loudness.ts'
import {
  after,
  decodeCursor,
  inFolders,
  iso,
  limitOf,
  orderBy,
  type Page,
  type PageRequest,
  type SortKey,
  toPage,
} from './page.ts'
import { idSet, listTracksOfAlbum, type TrackSummary } from './tracks.ts'

export const ALBUM_SORTS = ['name', 'year', 'recent', 'played'] as const
export type AlbumSort = (typeof ALBUM_SORTS)[number]

export interface AlbumQuery extends PageRequest {
  sort?: AlbumSort
  genre?: string
  yearFrom?: number
  yearTo?: number
  artistId?: number
}

export interface AlbumSummary {
  id: number
  name: string
  albumArtist: string
  albumArtistId: number | null
  year: number | null
  originalYear: number | null
  compilation: boolean
  discCount: number
  trackCount: number
  duration: number
  coverId: string | null
  genres: string[]
  playCount: number
  createdAt: string
}

export interface AlbumDetail extends AlbumSummary {
  date: string | null
  originalDate: string | null
  label: string | null
  mbAlbumId: string | null
  mbReleaseGroupId: string | null
  artists: { id: number; name: string }[]
  tracks: TrackSummary[]
  /** Album gain: play the whole album at this gain to keep its dynamics between tracks. */
  loudness: AlbumLoudnessInfo
}

interface Row {
  id: number
  name: string
  sort_key: string
  album_artist: string
  album_artist_id: number | null
  year: number | null
  original_year: number | null
  compilation: number
  disc_count: number
  track_count: number
  duration: number
  cover_id: string | null
  created_at: number
  plays: number
  date: string | null
  original_date: string | null
  label: string | null
  mb_album_id: string | null
  mb_release_group_id: string | null
}

// The household's plays of the album, as the listening log's `plays` consumer counts them (the
// same counts as charts, search ranking and recommendations). This read track_annotations'
// play_count, which nothing has written since plays became events: "most played" sorted by name.
const PLAYS = sql`coalesce((SELECT pg.plays FROM play_counts_global pg
  WHERE pg.kind = 'album' AND pg.item_id = CAST(a.id AS TEXT)), 0)`

const byName: SortKey<Row>[] = [
  { expr: sql`sort_key`, of: (r) => r.sort_key },
  { expr: sql`id`, of: (r) => r.id },
]
const SORTS: Record<AlbumSort, SortKey<Row>[]> = {
  name: byName,
  year: [{ expr: sql`coalesce(year, 0)`, of: (r) => r.year ?? 0, desc: true }, ...byName],
  recent: [
    { expr: sql`created_at`, of: (r) => r.created_at, desc: true },
    { expr: sql`id`, of: (r) => r.id, desc: true },
  ],
  played: [{ expr: sql`plays`, of: (r) => r.plays, desc: true }, ...byName],
}

// Without a folder filter the count of present tracks the scan keeps says what the EXISTS would,
// without a lookup per album (20–40 ms over 8,000 albums).
const visible = (folderIds: readonly number[] | undefined) =>
  folderIds === undefined
    ? sql`a.track_count > 0`
    : sql`a.track_count > 0 AND EXISTS (SELECT 1 FROM tracks vt WHERE vt.album_id = a.id AND vt.missing_at IS NULL
    AND ${inFolders(sql`vt.folder_id`, folderIds)})`

function genresOf(db: Db, ids: number[]): Map<number, string[]> {
  const out = new Map<number, string[]>()
  if (ids.length === 0) return out
  const rows = db.all<{ album_id: number; name: string }>(sql`SELECT ag.album_id, g.name FROM album_genres ag
    JOIN genres g ON g.id = ag.genre_id WHERE ag.album_id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) ORDER BY g.norm_name`)
  for (const r of rows) out.set(r.album_id, [...(out.get(r.album_id) ?? []), r.name])
  return out
}

function summary(r: Row, genres: Map<number, string[]>): AlbumSummary {
  return {
    id: r.id,
    name: r.name,
    albumArtist: r.album_artist,
    albumArtistId: r.album_artist_id,
    year: r.year,
    originalYear: r.original_year,
    compilation: r.compilation === 1,
    discCount: r.disc_count,
    trackCount: r.track_count,
    duration: r.duration,
    coverId: r.cover_id,
    genres: genres.get(r.id) ?? [],
    playCount: r.plays,
    createdAt: iso(r.created_at) as string,
  }
}

export function listAlbums(db: Db, q: AlbumQuery = {}): Page<AlbumSummary> {
  const sort = q.sort ?? 'name'
  const keys = SORTS[sort]
  const limit = limitOf(q.limit)
  const cursor = decodeCursor(q.cursor, `albums:${sort}`, keys.length)
  if (q.yearFrom !== undefined && q.yearTo !== undefined && q.yearFrom > q.yearTo)
    throw invalid('yearFrom: must not be after yearTo', { field: 'yearFrom' })
  const filters: SQL[] = [visible(q.folderIds)]
  if (q.genre !== undefined)
    filters.push(sql`a.id IN (SELECT ag.album_id FROM album_genres ag JOIN genres g ON g.id = ag.genre_id
      WHERE g.norm_name = ${fold(q.genre)})`)
  if (q.yearFrom !== undefined) filters.push(sql`a.year >= ${q.yearFrom}`)
  if (q.yearTo !== undefined) filters.push(sql`a.year <= ${q.yearTo}`)
  if (q.artistId !== undefined)
    filters.push(sql`(a.id IN (SELECT album_id FROM album_artists WHERE artist_id = ${q.artistId})
      OR a.id IN (SELECT t.album_id FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
        WHERE ta.artist_id = ${q.artistId} AND t.missing_at IS NULL))`)
  const plays = sort === 'played' ? PLAYS : sql`0`
  const rows =
    db.all<Row>(sql`SELECT * FROM (SELECT a.*, ${plays} AS plays FROM albums a WHERE ${sql.join(filters, sql` AND `)})
    WHERE ${after(keys, cursor)} ORDER BY ${orderBy(keys)} LIMIT ${limit + 1}`)
  const genres = genresOf(
    db,
    rows.map((r) => r.id),
  )
  return toPage(`albums:${sort}`, rows, limit, keys, (r) => summary(r, genres))
}

export function getAlbum(
  db: Db,
  id: number,
  folderIds?: readonly number[],
  gain = DEFAULT_GAIN,
): AlbumDetail {
  const row = db.all<Row>(
    sql`SELECT a.*, ${PLAYS} AS plays FROM albums a WHERE a.id = ${id} AND ${visible(folderIds)}`,
  )[0]
  if (!row) throw notFound(`album ${id}`)
  const artists = db.all<{ id: number; name: string }>(sql`SELECT ar.id, ar.name FROM album_artists aa
    JOIN artists ar ON ar.id = aa.artist_id WHERE aa.album_id = ${id} ORDER BY aa.position`)
  return {
    ...summary(row, genresOf(db, [id])),
    date: row.date,
    originalDate: row.original_date,
    label: row.label,
    mbAlbumId: row.mb_album_id,
    mbReleaseGroupId: row.mb_release_group_id,
    artists,
    tracks: listTracksOfAlbum(db, id, folderIds, gain),
    loudness: albumLoudnessOf(db, id, folderIds, gain),
  }
}

export const ALBUM_ORDERS = ['name', 'artist', 'newest', 'random', 'yearAsc', 'yearDesc'] as const
export type AlbumOrder = (typeof ALBUM_ORDERS)[number]

export interface AlbumOffsetQuery {
  order?: AlbumOrder
  offset?: number
  limit?: number
  folderIds?: readonly number[]
  genre?: string
  yearFrom?: number
  yearTo?: number
  /** Only these albums, answered in this order (lists ranked elsewhere: plays, stars). */
  ids?: readonly number[]
}

const OFFSET_ORDERS: Record<AlbumOrder, SQL> = {
  name: sql`a.sort_key, a.id`,
  artist: sql`lower(a.album_artist), a.sort_key, a.id`,
  newest: sql`a.created_at DESC, a.id DESC`,
  random: sql`random()`,
  yearAsc: sql`coalesce(a.year, 0), a.sort_key, a.id`,
  yearDesc: sql`coalesce(a.year, 0) DESC, a.sort_key, a.id`,
}

/**
 * Albums by offset rather than cursor, for APIs that page that way (Subsonic's getAlbumList):
 * random order has no stable cursor, and clients ask for "the next 50 from 150".
 */
export function listAlbumsAt(db: Db, q: AlbumOffsetQuery = {}): AlbumSummary[] {
  const limit = q.limit ?? DEFAULT_OFFSET_LIMIT
  const offset = q.offset ?? 0
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_OFFSET_LIMIT)
    throw invalid(`size: must be a whole number from 0 to ${MAX_OFFSET_LIMIT}`, { field: 'size' })
  if (!Number.isInteger(offset) || offset < 0)
    throw invalid('offset: must be a whole number, 0 or more', { field: 'offset' })
  if (q.ids?.length === 0 || limit === 0) return []
  const filters: SQL[] = [visible(q.folderIds)]
  if (q.ids)
    filters.push(
      sql`a.id IN (${sql.join(
        q.ids.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    )
  if (q.genre !== undefined)
    filters.push(sql`a.id IN (SELECT ag.album_id FROM album_genres ag JOIN genres g ON g.id = ag.genre_id
      WHERE g.norm_name = ${fold(q.genre)})`)
  if (q.yearFrom !== undefined) filters.push(sql`a.year >= ${q.yearFrom}`)
  if (q.yearTo !== undefined) filters.push(sql`a.year <= ${q.yearTo}`)
  const where = sql.join(filters, sql` AND `)
  if (q.ids) {
    // Given ids (a user's 5,000 most played): which may be seen first, then whole rows for the
    // page only, in the order given (25 ms → a few for the first page at 5,000 ids).
    const seen = new Set(
      db.all<{ id: number }>(sql`SELECT a.id FROM albums a WHERE ${where}`).map((r) => r.id),
    )
    const page = q.ids.filter((id) => seen.has(id)).slice(offset, offset + limit)
    if (page.length === 0) return []
    const byId = new Map(summaries(db, sql`a.id IN ${idSet(page)}`).map((a) => [a.id, a]))
    return page.flatMap((id) => byId.get(id) ?? [])
  }
  return summaries(
    db,
    where,
    sql`ORDER BY ${OFFSET_ORDERS[q.order ?? 'name']} LIMIT ${limit} OFFSET ${offset}`,
  )
}

function summaries(db: Db, where: SQL, tail: SQL = sql``): AlbumSummary[] {
  const rows = db.all<Row>(sql`SELECT a.*, ${PLAYS} AS plays FROM albums a WHERE ${where} ${tail}`)
  const genres = genresOf(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => summary(r, genres))
}

const DEFAULT_OFFSET_LIMIT = 10
const MAX_OFFSET_LIMIT = 500

/** Summaries of the albums among `ids` a user may see (one query), keyed by id. */
export function albumSummariesByIds(
  db: Db,
  ids: readonly number[],
  folderIds?: readonly number[],
): Map<number, AlbumSummary> {
  const out = new Map<number, AlbumSummary>()
  if (ids.length === 0) return out
  for (const a of summaries(db, sql`a.id IN ${idSet(ids)} AND ${visible(folderIds)}`)) out.set(a.id, a)
  return out
}
