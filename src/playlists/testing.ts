// Shared by the playlists, library and shares tests (not shipped code): the real app over a real
// SQLite file with the catalog, playlists and library domains wired as the server wires them, and
// catalog rows written the way the scanner writes them (artists, albums, tracks, track artists),
// so grants, missing files and purges can be staged without scanning audio.
import { type SQL, sql } from 'drizzle-orm'
import type { Principal } from '../accounts/index.ts'
import type { TestApp } from '../api/testing.ts'
import { testApp } from '../api/testing.ts'
import { type Catalog, createCatalog, listMusicFolders } from '../catalog/index.ts'
import type { LiveHub } from '../devices/index.ts'
import { DomainError } from '../lib/errors.ts'
import { createLibrary, type Library } from '../library/index.ts'
import type { Db } from '../platform/sqlite.ts'
import { createPlaylists, type Playlists } from './index.ts'

export interface SeededAlbum {
  artistId: number
  albumId: number
  trackIds: number[]
}

let fingerprints = 0
const fold = (s: string) => s.toLowerCase()
const idOf = (db: Db, query: SQL) => (db.all<{ id: number }>(query)[0] as { id: number }).id

/** An album of `titles` by `artist` in music folder `folderId`, each track `seconds` long. */
export function seedAlbum(
  db: Db,
  a: { folderId: number; artist: string; album: string; titles: string[]; seconds?: number },
): SeededAlbum {
  const seconds = a.seconds ?? 180
  const artistId = idOf(
    db,
    sql`INSERT INTO artists (name, norm_name, sort_name, sort_key, track_count, album_count, dirty)
    VALUES (${a.artist}, ${fold(a.artist)}, ${a.artist}, ${fold(a.artist)}, ${a.titles.length}, 1, 0)
    ON CONFLICT (norm_name) DO UPDATE SET track_count = track_count + excluded.track_count RETURNING id`,
  )
  const albumId = idOf(
    db,
    sql`INSERT INTO albums (group_key, name, sort_key, album_artist, album_artist_id,
      track_count, duration, dirty)
    VALUES (${`${fold(a.artist)}\u0000${fold(a.album)}`}, ${a.album}, ${fold(a.album)}, ${a.artist}, ${artistId},
      ${a.titles.length}, ${seconds * a.titles.length}, 0) RETURNING id`,
  )
  db.run(sql`INSERT INTO album_artists (album_id, artist_id, position) VALUES (${albumId}, ${artistId}, 0)`)
  const dir = `${a.artist}/${a.album}`
  const trackIds = a.titles.map((title, i) => {
    const trackId = idOf(
      db,
      sql`INSERT INTO tracks (folder_id, dir, name, size, mtime, fingerprint, title,
        sort_key, album_id, artist, album_artist, track_no, duration, codec)
      VALUES (${a.folderId}, ${dir}, ${`${String(i + 1).padStart(2, '0')} - ${title}.flac`}, 1000, 0,
        ${`fp-${++fingerprints}`}, ${title}, ${fold(title)}, ${albumId}, ${a.artist}, ${a.artist}, ${i + 1},
        ${seconds}, 'flac') RETURNING id`,
    )
    db.run(
      sql`INSERT INTO track_artists (track_id, artist_id, role, position) VALUES (${trackId}, ${artistId}, 'artist', 0)`,
    )
    return trackId
  })
  return { artistId, albumId, trackIds }
}

/** What the scanner does when a file vanishes, and when it comes back. */
export const markMissing = (db: Db, trackIds: number[], missing = true) =>
  db.run(
    sql`UPDATE tracks SET missing_at = ${missing ? Date.now() : null} WHERE id IN (${sql.join(
      trackIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  )

/** What the scanner's sweep does to a track missing for 30 days. */
export const purgeTrack = (db: Db, trackId: number) => db.run(sql`DELETE FROM tracks WHERE id = ${trackId}`)

export interface LibraryApp extends TestApp {
  catalog: Catalog
  playlists: Playlists
  library: Library
  db: Db
}

/** The app with catalog, playlists and library over music folders 1 (family) and 2 (grown-ups). */
export async function libraryApp(): Promise<LibraryApp> {
  let hub: LiveHub | undefined
  let parts!: { catalog: Catalog; playlists: Playlists; library: Library }
  const t = await testApp({}, (f) => {
    const catalog = createCatalog({
      db: f.sqlite.db,
      dataDir: f.dir,
      folders: () => listMusicFolders(f.sqlite.db),
    })
    const playlists = createPlaylists({
      db: f.sqlite.db,
      trackSummaries: catalog.trackSummaries,
      publish: (change, audience) => hub?.publish('playlists', { ...change }, audience),
      now: f.clock.now,
    })
    const library = createLibrary({
      db: f.sqlite.db,
      summaries: {
        tracks: catalog.trackSummaries,
        albums: catalog.albumSummaries,
        artists: catalog.artistSummaries,
      },
      now: f.clock.now,
    })
    parts = { catalog, playlists, library }
    return parts
  })
  hub = t.hub
  return { ...t, ...parts, db: t.sqlite.db }
}

/** The principal behind a token issued by the test app's accounts. */
export function signedIn(app: Pick<TestApp, 'accounts'>, token: string): Principal {
  const p = app.accounts.auth.authenticate(token)
  if (!p) throw new Error('signed in')
  return p
}

/** The DomainError a call throws; any other outcome fails the test. */
export function fails(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a domain error')
}
