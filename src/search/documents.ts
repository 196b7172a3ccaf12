import { type SQL, sql } from 'drizzle-orm'
import type { Db } from '../platform/sqlite.ts'

// What the index knows of each catalog item, read straight from the catalog's tables: one query
// per kind for the start-up build, the same query narrowed to some ids for a scan's changes. Only
// what is present counts (a missing file's track, an album or artist left without present tracks
// is not found), and each item carries the music folders it lives in, for the user's grants.

/** The kinds of item searched. Playlists join here (with a loader below) once they exist. */
export const SEARCH_KINDS = ['artist', 'album', 'track'] as const
export type SearchKind = (typeof SEARCH_KINDS)[number]

/** The text fields an item is indexed under; `name` is an artist's name, an album's or a track's title. */
export const FIELDS = ['name', 'album', 'artist', 'genre'] as const
export type Field = (typeof FIELDS)[number]

/**
 * What the index is given of an item: its text per field, and what filters and grants need.
 * What a suggestion shows (names, covers) is read when shown (loadDisplay), not held.
 */
export interface SearchDoc {
  id: number
  text: Partial<Record<Field, string>>
  folders: number[]
  year: number | null
  albumId: number | null
  /** Artists this item counts for (a track: its artists and its album's): searching them finds it. */
  artistIds: number[]
}

interface Row {
  id: number
  name: string
  folders: string | number | null
  genres: string | null
  year: number | null
  artist: string | null
  album: string | null
  album_id: number | null
  artist_ids: string | number | null
}

const ids = (s: string | number | null): number[] => {
  if (s === null) return []
  if (typeof s === 'number') return [s]
  const out: number[] = []
  for (const part of s.split(',')) {
    const n = Number(part)
    if (!out.includes(n)) out.push(n)
  }
  return out
}

function toDoc(kind: SearchKind, r: Row): SearchDoc {
  const text: SearchDoc['text'] = { name: r.name }
  if (r.genres) text.genre = r.genres
  if (kind !== 'artist' && r.artist) text.artist = r.artist
  if (kind === 'track' && r.album) text.album = r.album
  return {
    id: r.id,
    text,
    folders: ids(r.folders),
    year: r.year,
    albumId: r.album_id,
    artistIds: ids(r.artist_ids),
  }
}

const only = (column: SQL, wanted: readonly number[] | undefined) =>
  wanted
    ? sql`${column} IN (${sql.join(
        wanted.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql`1`

const QUERIES: Record<SearchKind, (wanted?: readonly number[]) => SQL> = {
  // Artists and album artists of a track both find it; the display artist tag is the text.
  track: (wanted) => sql`SELECT t.id, t.title AS name, t.folder_id AS folders, t.year,
      t.artist || CASE WHEN t.album_artist <> t.artist THEN ' ' || t.album_artist ELSE '' END AS artist,
      al.name AS album, t.album_id,
      (SELECT group_concat(g.name, ' ') FROM track_genres tg JOIN genres g ON g.id = tg.genre_id
        WHERE tg.track_id = t.id) AS genres,
      (SELECT group_concat(artist_id) FROM (SELECT artist_id FROM track_artists WHERE track_id = t.id
        UNION SELECT artist_id FROM album_artists WHERE album_id = t.album_id)) AS artist_ids
    FROM tracks t JOIN albums al ON al.id = t.album_id
    WHERE t.missing_at IS NULL AND ${only(sql`t.id`, wanted)}`,
  album: (wanted) => sql`SELECT a.id, a.name, a.year, a.album_artist AS artist, NULL AS album,
      a.id AS album_id, f.folders,
      (SELECT group_concat(g.name, ' ') FROM album_genres ag JOIN genres g ON g.id = ag.genre_id
        WHERE ag.album_id = a.id) AS genres,
      (SELECT group_concat(aa.artist_id) FROM album_artists aa WHERE aa.album_id = a.id) AS artist_ids
    FROM albums a JOIN (SELECT album_id, group_concat(DISTINCT folder_id) AS folders FROM tracks
      WHERE missing_at IS NULL AND ${only(sql`album_id`, wanted)} GROUP BY album_id) f ON f.album_id = a.id`,
  // An artist lives wherever their tracks or their albums' tracks are.
  artist: (wanted) => sql`SELECT ar.id, ar.name, NULL AS year, NULL AS artist, NULL AS album,
      NULL AS album_id, NULL AS artist_ids, f.folders,
      (SELECT group_concat(name, ' ') FROM (SELECT DISTINCT g.name FROM track_artists ta
        JOIN track_genres tg ON tg.track_id = ta.track_id JOIN genres g ON g.id = tg.genre_id
        WHERE ta.artist_id = ar.id)) AS genres
    FROM artists ar JOIN (SELECT artist_id, group_concat(DISTINCT folder_id) AS folders FROM (
        SELECT ta.artist_id, t.folder_id FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
          WHERE t.missing_at IS NULL AND ${only(sql`ta.artist_id`, wanted)}
        UNION SELECT aa.artist_id, t.folder_id FROM album_artists aa JOIN tracks t ON t.album_id = aa.album_id
          WHERE t.missing_at IS NULL AND ${only(sql`aa.artist_id`, wanted)})
      GROUP BY artist_id) f ON f.artist_id = ar.id`,
}

/** Present items of a kind: all of them, or those among `wanted` (the others are gone). */
export function loadDocs(db: Db, kind: SearchKind, wanted?: readonly number[]): SearchDoc[] {
  if (wanted && wanted.length === 0) return []
  return db.all<Row>(QUERIES[kind](wanted)).map((r) => toDoc(kind, r))
}

export interface Display {
  name: string
  artist: string | null
  coverId: string | null
}

const DISPLAY: Record<SearchKind, (wanted: readonly number[]) => SQL> = {
  track: (wanted) => sql`SELECT t.id, t.title AS name, t.artist, coalesce(t.cover_id, al.cover_id) AS cover_id
    FROM tracks t JOIN albums al ON al.id = t.album_id WHERE ${only(sql`t.id`, wanted)}`,
  album: (wanted) =>
    sql`SELECT id, name, album_artist AS artist, cover_id FROM albums WHERE ${only(sql`id`, wanted)}`,
  artist: (wanted) =>
    sql`SELECT id, name, NULL AS artist, NULL AS cover_id FROM artists WHERE ${only(sql`id`, wanted)}`,
}

/**
 * Names, artists and covers of a few items (the suggestions shown): read when needed rather
 * than held for every item, which would double the index's memory.
 */
export function loadDisplay(db: Db, kind: SearchKind, wanted: readonly number[]): Map<number, Display> {
  if (wanted.length === 0) return new Map()
  const rows = db.all<{ id: number; name: string; artist: string | null; cover_id: string | null }>(
    DISPLAY[kind](wanted),
  )
  return new Map(rows.map((r) => [r.id, { name: r.name, artist: r.artist, coverId: r.cover_id }]))
}

const TABLE = { track: sql`tracks`, album: sql`albums`, artist: sql`artists` }

/** Every id of a kind in the browse lists' order (sort key, then id); the caller keeps those it indexes. */
export function loadNameOrder(db: Db, kind: SearchKind): number[] {
  return db.all<{ id: number }>(sql`SELECT id FROM ${TABLE[kind]} ORDER BY sort_key, id`).map((r) => r.id)
}
