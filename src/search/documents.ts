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

export interface SearchDoc {
  id: number
  name: string
  /** The catalog's folded sort key: empty-query pages come out in the browse lists' order. */
  sortKey: string
  text: Partial<Record<Field, string>>
  folders: number[]
  year: number | null
  /** Who made it (albums, tracks): the line under a suggestion. */
  artist: string | null
  albumId: number | null
  coverId: string | null
  /** Artists this item counts for, so their entries are refreshed when it changes. */
  artistIds: number[]
}

interface Row {
  id: number
  name: string
  sort_key: string
  folders: string | number | null
  genres: string | null
  year: number | null
  artist: string | null
  album: string | null
  album_id: number | null
  cover_id: string | null
  artist_ids: string | number | null
}

const ids = (s: string | number | null) => (s === null ? [] : String(s).split(',').map(Number))

function toDoc(kind: SearchKind, r: Row): SearchDoc {
  const text: SearchDoc['text'] = { name: r.name }
  if (r.genres) text.genre = r.genres
  if (kind !== 'artist' && r.artist) text.artist = r.artist
  if (kind === 'track' && r.album) text.album = r.album
  return {
    id: r.id,
    name: r.name,
    sortKey: r.sort_key,
    text,
    folders: [...new Set(ids(r.folders))],
    year: r.year,
    artist: kind === 'artist' ? null : r.artist,
    albumId: r.album_id,
    coverId: r.cover_id,
    artistIds: [...new Set(ids(r.artist_ids))],
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
  track: (wanted) => sql`SELECT t.id, t.title AS name, t.sort_key, t.folder_id AS folders, t.year,
      t.artist || CASE WHEN t.album_artist <> t.artist THEN ' ' || t.album_artist ELSE '' END AS artist,
      al.name AS album, t.album_id, coalesce(t.cover_id, al.cover_id) AS cover_id,
      (SELECT group_concat(g.name, ' ') FROM track_genres tg JOIN genres g ON g.id = tg.genre_id
        WHERE tg.track_id = t.id) AS genres,
      (SELECT group_concat(ta.artist_id) FROM track_artists ta WHERE ta.track_id = t.id) AS artist_ids
    FROM tracks t JOIN albums al ON al.id = t.album_id
    WHERE t.missing_at IS NULL AND ${only(sql`t.id`, wanted)}`,
  album: (wanted) => sql`SELECT a.id, a.name, a.sort_key, a.year, a.album_artist AS artist, NULL AS album,
      a.id AS album_id, a.cover_id, f.folders,
      (SELECT group_concat(g.name, ' ') FROM album_genres ag JOIN genres g ON g.id = ag.genre_id
        WHERE ag.album_id = a.id) AS genres,
      (SELECT group_concat(aa.artist_id) FROM album_artists aa WHERE aa.album_id = a.id) AS artist_ids
    FROM albums a JOIN (SELECT album_id, group_concat(DISTINCT folder_id) AS folders FROM tracks
      WHERE missing_at IS NULL AND ${only(sql`album_id`, wanted)} GROUP BY album_id) f ON f.album_id = a.id`,
  // An artist lives wherever their tracks or their albums' tracks are.
  artist: (wanted) => sql`SELECT ar.id, ar.name, ar.sort_key, NULL AS year, NULL AS artist, NULL AS album,
      NULL AS album_id, NULL AS cover_id, NULL AS artist_ids, f.folders,
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
