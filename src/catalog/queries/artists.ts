import { type SQL, sql } from 'drizzle-orm'
import { notFound } from '../../lib/errors.ts'
import type { Db } from '../../platform/sqlite.ts'
import { fold } from '../normalize.ts'
import { type AlbumSummary, listAlbums } from './albums.ts'
import {
  after,
  allPages,
  decodeCursor,
  inFolders,
  limitOf,
  orderBy,
  type Page,
  type PageRequest,
  type SortKey,
  toPage,
} from './page.ts'
import { idSet } from './tracks.ts'

export interface ArtistQuery extends PageRequest {
  /** `albumArtist`: only artists with albums of their own (what a library browser lists). */
  role?: 'albumArtist' | 'any'
}

export interface ArtistSummary {
  id: number
  name: string
  sortName: string
  albumCount: number
  trackCount: number
  mbArtistId: string | null
}

export interface ArtistDetail extends ArtistSummary {
  /** Albums whose album artist this is. */
  albums: AlbumSummary[]
  /** Other albums with tracks by this artist (compilations, features). */
  appearsOn: AlbumSummary[]
}

interface Row {
  id: number
  name: string
  sort_name: string
  sort_key: string
  album_count: number
  track_count: number
  mb_artist_id: string | null
}

const KEYS: SortKey<Row>[] = [
  { expr: sql`sort_key`, of: (r) => r.sort_key },
  { expr: sql`id`, of: (r) => r.id },
]

const visible = (folderIds: readonly number[] | undefined) =>
  sql`(EXISTS (SELECT 1 FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
      WHERE ta.artist_id = ar.id AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, folderIds)})
    OR EXISTS (SELECT 1 FROM album_artists aa JOIN tracks t ON t.album_id = aa.album_id
      WHERE aa.artist_id = ar.id AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, folderIds)}))`

const summary = (r: Row): ArtistSummary => ({
  id: r.id,
  name: r.name,
  sortName: r.sort_name,
  albumCount: r.album_count,
  trackCount: r.track_count,
  mbArtistId: r.mb_artist_id,
})

export function listArtists(db: Db, q: ArtistQuery = {}): Page<ArtistSummary> {
  const limit = limitOf(q.limit)
  const cursor = decodeCursor(q.cursor, 'artists', KEYS.length)
  const filters: SQL[] = [visible(q.folderIds)]
  if (q.role === 'albumArtist') filters.push(sql`ar.album_count > 0`)
  const rows =
    db.all<Row>(sql`SELECT * FROM artists ar WHERE ${sql.join(filters, sql` AND `)} AND ${after(KEYS, cursor)}
    ORDER BY ${orderBy(KEYS)} LIMIT ${limit + 1}`)
  return toPage('artists', rows, limit, KEYS, summary)
}

/** The visible artist with this name as the scanner folds it (case, width, diacritics), by index. */
export function findArtistByName(db: Db, name: string, folderIds?: readonly number[]): number | undefined {
  return db.all<{ id: number }>(
    sql`SELECT ar.id FROM artists ar WHERE ar.norm_name = ${fold(name)} AND ${visible(folderIds)}`,
  )[0]?.id
}

export function getArtist(db: Db, id: number, folderIds?: readonly number[]): ArtistDetail {
  const row = db.all<Row>(sql`SELECT * FROM artists ar WHERE ar.id = ${id} AND ${visible(folderIds)}`)[0]
  if (!row) throw notFound(`artist ${id}`)
  const albums = allPages((cursor) =>
    listAlbums(db, { artistId: id, sort: 'year', folderIds, cursor, limit: 500 }),
  )
  const own = new Set(
    db
      .all<{ album_id: number }>(sql`SELECT album_id FROM album_artists WHERE artist_id = ${id}`)
      .map((r) => r.album_id),
  )
  return {
    ...summary(row),
    albums: albums.filter((a) => own.has(a.id)),
    appearsOn: albums.filter((a) => !own.has(a.id)),
  }
}

/** Summaries of the artists among `ids` a user may see (one query), keyed by id. */
export function artistSummariesByIds(
  db: Db,
  ids: readonly number[],
  folderIds?: readonly number[],
): Map<number, ArtistSummary> {
  const out = new Map<number, ArtistSummary>()
  if (ids.length === 0) return out
  const rows = db.all<Row>(
    sql`SELECT * FROM artists ar WHERE ar.id IN ${idSet(ids)} AND ${visible(folderIds)}`,
  )
  for (const r of rows) out.set(r.id, summary(r))
  return out
}
