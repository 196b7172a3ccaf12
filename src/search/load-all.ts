import { sql } from 'drizzle-orm'
import type { Db } from '../platform/sqlite.ts'
import type { SearchDoc, SearchKind } from './documents.ts'

// Every present item of every kind for the start-up build, from one pass over each table read
// as bare rows (arrays of values, no object per row), joined here by id. The per-kind queries in
// documents.ts give the same documents (a test holds them to it) and serve a scan's changes, a
// few ids at a time; for the whole catalog their correlated subqueries cost 0.55 s of the build.
// Names and genres read once are shared by every track that carries them, so repeated texts
// are the same strings (tokenized once, compared by identity).

type Row = unknown[]

/** Adds an id to the list under a key, once (lists are short: a few folders, artists, genres). */
function addOnce(to: Map<number, number[]>, key: number, id: number): void {
  const list = to.get(key)
  if (!list) to.set(key, [id])
  else if (!list.includes(id)) list.push(id)
}

/** Lists of ids under a key, each id once, in the order first seen. */
function grouped(rows: Row[]): Map<number, number[]> {
  const out = new Map<number, number[]>()
  for (const [key, id] of rows as [number, number][]) addOnce(out, key, id)
  return out
}

export function loadAll(db: Db): Record<SearchKind, SearchDoc[]> {
  const genreName = new Map(db.values<[number, string]>(sql`SELECT id, name FROM genres`))
  const genreText = (ids: readonly number[] | undefined): string | undefined => {
    if (!ids || ids.length === 0) return undefined
    if (ids.length === 1) return genreName.get(ids[0] as number)
    return ids.map((id) => genreName.get(id)).join(' ')
  }
  const trackGenres = grouped(db.values(sql`SELECT track_id, genre_id FROM track_genres`))
  const trackArtists = grouped(db.values(sql`SELECT track_id, artist_id FROM track_artists`))
  const albumArtists = grouped(db.values(sql`SELECT album_id, artist_id FROM album_artists`))
  const albumGenres = grouped(db.values(sql`SELECT album_id, genre_id FROM album_genres`))
  // An artist's genres are those of all their tracks (missing ones too, as the per-kind query
  // has it); joined here, the same join in SQL took 0.4 s.
  const artistGenres = new Map<number, number[]>()
  for (const [track, artists] of trackArtists)
    for (const genre of trackGenres.get(track) ?? []) for (const a of artists) addOnce(artistGenres, a, genre)
  const albums = new Map(
    db
      .values<[number, string, number | null, string]>(sql`SELECT id, name, year, album_artist FROM albums`)
      .map((r) => [r[0], r]),
  )

  const tracks: SearchDoc[] = []
  const albumFolders = new Map<number, number[]>()
  const artistFolders = new Map<number, number[]>()
  const artistText = new Map<string, string>()
  for (const [id, title, folder, year, albumId, artist, albumArtist] of db.values<
    [number, string, number, number | null, number, string, string]
  >(
    sql`SELECT id, title, folder_id, year, album_id, artist, album_artist FROM tracks WHERE missing_at IS NULL`,
  )) {
    const album = albums.get(albumId)
    if (!album) continue
    const artistIds = [...(trackArtists.get(id) ?? [])]
    for (const a of albumArtists.get(albumId) ?? []) if (!artistIds.includes(a)) artistIds.push(a)
    // Both the track's artist and its album artist find it; the pair repeats across an album.
    let artists = artist
    if (albumArtist !== artist) {
      const key = `${artist}\u0000${albumArtist}`
      artists = artistText.get(key) ?? `${artist} ${albumArtist}`
      artistText.set(key, artists)
    }
    const text: SearchDoc['text'] = { name: title }
    const genre = genreText(trackGenres.get(id))
    if (genre) text.genre = genre
    if (artists) text.artist = artists
    if (album[1]) text.album = album[1]
    tracks.push({ id, text, folders: [folder], year, albumId, artistIds })
    addOnce(albumFolders, albumId, folder)
    for (const a of trackArtists.get(id) ?? []) addOnce(artistFolders, a, folder)
    for (const a of albumArtists.get(albumId) ?? []) addOnce(artistFolders, a, folder)
  }

  const albumDocs: SearchDoc[] = []
  for (const [id, folders] of albumFolders) {
    const [, name, year, albumArtist] = albums.get(id) as [number, string, number | null, string]
    const text: SearchDoc['text'] = { name }
    const genre = genreText(albumGenres.get(id))
    if (genre) text.genre = genre
    if (albumArtist) text.artist = albumArtist
    albumDocs.push({ id, text, folders, year, albumId: id, artistIds: albumArtists.get(id) ?? [] })
  }

  const artistDocs: SearchDoc[] = []
  for (const [id, name] of db.values<[number, string]>(sql`SELECT id, name FROM artists`)) {
    const folders = artistFolders.get(id)
    if (!folders) continue
    const text: SearchDoc['text'] = { name }
    const genre = genreText(artistGenres.get(id))
    if (genre) text.genre = genre
    artistDocs.push({ id, text, folders, year: null, albumId: null, artistIds: [] })
  }
  return { artist: artistDocs, album: albumDocs, track: tracks }
}
