import { sql } from 'drizzle-orm'
import type { AudioEngine, GainOptions } from '../audio/index.ts'
import { refreshStatistics } from '../db/statistics.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import type { Db } from '../platform/sqlite.ts'
import { createCovers } from './covers.ts'
import type { MusicFolder } from './folders.ts'
import {
  type AlbumOffsetQuery,
  type AlbumQuery,
  albumSummariesByIds,
  getAlbum,
  listAlbums,
  listAlbumsAt,
} from './queries/albums.ts'
import {
  type ArtistQuery,
  artistSummariesByIds,
  findArtistByName,
  getArtist,
  listArtists,
} from './queries/artists.ts'
import { type DirectoryOptions, getDirectory } from './queries/directories.ts'
import { listGenres } from './queries/genres.ts'
import { type LibrarySelection, libraryCounts, selectLibrary } from './queries/library.ts'
import { lookupListeningTrack } from './queries/listening.ts'
import type { PageRequest } from './queries/page.ts'
import { preparePlayableLookup } from './queries/playable.ts'
import { listProblems } from './queries/problems.ts'
import { findLyrics, listSongs, type SongQuery } from './queries/songs.ts'
import { getTrack, listTracks, type TrackQuery, trackSummariesByIds } from './queries/tracks.ts'
import { createScanner } from './scanner/service.ts'
import type { ScanOptions } from './scanner/types.ts'
import { DEFAULT_WATCH_OPTIONS, type WatchOptions, watchLibrary } from './scanner/watch.ts'

export { COVER_SIZES, type CoverImage } from './covers.ts'
export type { Emitter } from './events.ts'
export { listMusicFolders, type MusicFolder, syncMusicFolders } from './folders.ts'
export { type LyricLine, lyricLines } from './lyrics.ts'
export { DEFAULT_ARTIST_SEPARATORS } from './normalize.ts'
export {
  ALBUM_ORDERS,
  ALBUM_SORTS,
  type AlbumDetail,
  type AlbumOffsetQuery,
  type AlbumOrder,
  type AlbumQuery,
  type AlbumSort,
  type AlbumSummary,
  albumSummariesByIds,
} from './queries/albums.ts'
export {
  type ArtistDetail,
  type ArtistQuery,
  type ArtistSummary,
  artistSummariesByIds,
} from './queries/artists.ts'
export type { Directory, DirectoryEntry } from './queries/directories.ts'
export type { GenreSummary } from './queries/genres.ts'
export type { LibrarySelection, LibraryTrack } from './queries/library.ts'
export type { ListeningTrack } from './queries/listening.ts'
export type { AlbumLoudnessInfo, LoudnessInfo } from './queries/loudness.ts'
export { allPages, DEFAULT_LIMIT, inFolders, MAX_LIMIT, type Page, type PageRequest } from './queries/page.ts'
export type { PlayableTrack } from './queries/playable.ts'
export type { ScanProblem } from './queries/problems.ts'
export { MAX_SONGS, type Song, type SongLyrics, type SongOrder, type SongQuery } from './queries/songs.ts'
export {
  idSet,
  TRACK_SORTS,
  type TrackDetail,
  type TrackQuery,
  type TrackSort,
  type TrackSummary,
  trackSummariesByIds,
} from './queries/tracks.ts'
export type { ScanProgress, ScanRequest, ScanSummary } from './scanner/run.ts'
export { type CatalogEvents, DEFAULT_SCAN_OPTIONS, type Scanner, type ScanStatus } from './scanner/service.ts'
export type { ScanOptions } from './scanner/types.ts'
export type { LibraryWatcher, WatchOptions } from './scanner/watch.ts'

export interface CatalogDeps {
  db: Db
  dataDir: string
  folders: () => MusicFolder[]
  scan?: Partial<ScanOptions>
  logger?: Logger
  status?: StatusBoard
  /** The audio engine once started; covers are resized with its ffmpeg. */
  engine?: () => AudioEngine | undefined
  /** The loudness target that tracks' and albums' gains reach. */
  gain?: GainOptions
}

/** The catalog: scanning, browsing and covers over one database. Browse calls take `folderIds` to enforce grants. */
export function createCatalog(deps: CatalogDeps) {
  const { db } = deps
  const scanner = createScanner({ ...deps, options: deps.scan })
  refreshStatistics(db)
  // Counting reads every track (10 ms at 100k), and /metrics asks on every scrape; only a scan
  // changes the answer (albums' and artists' counts are settled when it finishes).
  let counted: Record<'tracks' | 'albums' | 'artists', number> | undefined
  // Genres with their counts, per page and set of folders: counting reads every present track's
  // genres (75 ms at 100k tracks), and only a scan changes the answer.
  const genrePages = new Map<string, ReturnType<typeof listGenres>>()
  // The folders holding present tracks: a caller granted all of them (an admin, most households)
  // needs no folder filter, whose per-item lookups are most of what a list costs.
  let holding: number[] | undefined
  function scoped<Q extends { folderIds?: readonly number[] }>(q: Q | undefined): Q | undefined {
    if (!q?.folderIds) return q
    holding ??= db
      .all<{ id: number }>(sql`SELECT DISTINCT folder_id AS id FROM tracks WHERE missing_at IS NULL`)
      .map((r) => r.id)
    const granted = q.folderIds
    if (!holding.every((id) => granted.includes(id))) return q
    const { folderIds: _all, ...unfiltered } = q
    return unfiltered as Q
  }
  const changed = () => {
    counted = undefined
    holding = undefined
    genrePages.clear()
  }
  scanner.events.on('tracks.changed', changed)
  scanner.events.on('scan.finished', (s) => {
    changed()
    if (s.added + s.removed > 0) refreshStatistics(db)
  })
  const covers = createCovers({
    db,
    cacheDir: `${deps.dataDir}/cache/covers`,
    engine: deps.engine ?? (() => undefined),
  })
  return {
    scanner,
    events: scanner.events,
    listArtists: (q?: ArtistQuery) => listArtists(db, scoped(q)),
    getArtist: (id: number, folderIds?: readonly number[]) => getArtist(db, id, folderIds),
    /** An artist's id by name (case, width and diacritics ignored), if the viewer may see them. */
    findArtistByName: (name: string, folderIds?: readonly number[]) => findArtistByName(db, name, folderIds),
    listAlbums: (q?: AlbumQuery) => listAlbums(db, scoped(q)),
    getAlbum: (id: number, folderIds?: readonly number[]) => getAlbum(db, id, folderIds, deps.gain),
    listTracks: (q?: TrackQuery) => listTracks(db, scoped(q), deps.gain),
    getTrack: (id: number, folderIds?: readonly number[]) => getTrack(db, id, folderIds, deps.gain),
    listGenres(q: PageRequest = {}) {
      const key = JSON.stringify([q.folderIds ?? null, q.cursor ?? null, q.limit ?? null])
      let page = genrePages.get(key)
      if (!page) {
        if (genrePages.size >= 64) genrePages.clear()
        page = listGenres(db, scoped(q))
        genrePages.set(key, page)
      }
      return structuredClone(page)
    },
    /** Albums by offset (random, newest, by name, artist or year, or given ids in their order). */
    listAlbumsAt: (q?: AlbumOffsetQuery) => listAlbumsAt(db, scoped(q)),
    /** Tracks with everything a song entry shows, by offset, in bulk. */
    listSongs: (q?: SongQuery) => listSongs(db, scoped(q)),
    /** The subdirectories of a directory of a music folder, as the files lie on disk. */
    getDirectory: (folderId: number, dir: string, opts?: DirectoryOptions) =>
      getDirectory(db, folderId, dir, opts),
    /** Lyrics of the first visible track with this title (and artist, when given). */
    findLyrics: (q: { artist?: string; title: string; folderIds?: readonly number[] }) => findLyrics(db, q),
    /** Summaries of the visible ones among many ids, in one query (playlists, stars, shares). */
    trackSummaries: (ids: readonly number[], folderIds?: readonly number[]) =>
      trackSummariesByIds(db, ids, folderIds, deps.gain),
    albumSummaries: (ids: readonly number[], folderIds?: readonly number[]) =>
      albumSummariesByIds(db, ids, folderIds),
    artistSummaries: (ids: readonly number[], folderIds?: readonly number[]) =>
      artistSummariesByIds(db, ids, folderIds),
    listProblems: (q?: PageRequest & { reason?: string }) => listProblems(db, q),
    cover: covers.get,
    checkCover: covers.check,
    /** A track as the listening statistics see it (string ids), or null when unknown. */
    listeningTrack: (trackId: string) => lookupListeningTrack(db, trackId),
    /** A present track's file, folder and format for streaming, or null (no grant check: callers filter by folder). */
    playableTrack: preparePlayableLookup(db),
    /** Present tracks as audio sources: for background ladders and loudness, and `tonearm transcode`. */
    library: (s?: LibrarySelection) => selectLibrary(db, s),
    libraryCounts: () => libraryCounts(db),
    /** Present tracks, albums and artists. */
    counts(): Record<'tracks' | 'albums' | 'artists', number> {
      if (counted) return { ...counted }
      const [row] = db.all<{ tracks: number; albums: number; artists: number }>(sql`SELECT
        (SELECT count(*) FROM tracks WHERE missing_at IS NULL) AS tracks,
        (SELECT count(*) FROM albums WHERE track_count > 0) AS albums,
        (SELECT count(*) FROM artists WHERE track_count > 0 OR album_count > 0) AS artists`)
      counted = row ?? { tracks: 0, albums: 0, artists: 0 }
      return { ...counted }
    },
    /** Rescans what changes on disk while the server runs; close the returned watcher to stop. */
    watch(options: WatchOptions = DEFAULT_WATCH_OPTIONS) {
      return watchLibrary(deps.folders(), (request) => void scanner.scan(request), deps.logger, options)
    },
  }
}

export type Catalog = ReturnType<typeof createCatalog>
