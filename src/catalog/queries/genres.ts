import { sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'
import {
  after,
  decodeCursor,
  inFolders,
  limitOf,
  orderBy,
  type Page,
  type PageRequest,
  type SortKey,
  toPage,
} from './page.ts'

export interface GenreSummary {
  id: number
  name: string
  albumCount: number
  trackCount: number
}

interface Row {
  id: number
  name: string
  norm_name: string
  album_count: number
  track_count: number
}

const KEYS: SortKey<Row>[] = [
  { expr: sql`norm_name`, of: (r) => r.norm_name },
  { expr: sql`id`, of: (r) => r.id },
]

export function listGenres(db: Db, q: PageRequest = {}): Page<GenreSummary> {
  const limit = limitOf(q.limit)
  const cursor = decodeCursor(q.cursor, 'genres', KEYS.length)
  const present = sql`t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, q.folderIds)}`
  // One pass over the present tracks' genres, counted per genre, rather than three correlated
  // subqueries per genre (each joining all of its tracks): 66 against 127 ms at 100k tracks.
  const rows = db.all<Row>(sql`WITH counted AS (
      SELECT tg.genre_id, count(*) AS track_count, count(DISTINCT t.album_id) AS album_count
      FROM track_genres tg JOIN tracks t ON t.id = tg.track_id WHERE ${present} GROUP BY tg.genre_id)
    SELECT g.id, g.name, g.norm_name, c.track_count, c.album_count
    FROM genres g JOIN counted c ON c.genre_id = g.id
    WHERE ${after(KEYS, cursor)}
    ORDER BY ${orderBy(KEYS)} LIMIT ${limit + 1}`)
  return toPage('genres', rows, limit, KEYS, (r) => ({
    id: r.id,
    name: r.name,
    albumCount: r.album_count,
    trackCount: r.track_count,
  }))
}
