import { allPages } from '../../catalog/index.ts'
import { DomainError } from '../../lib/errors.ts'
import { MAX_RECOMMENDED } from '../../recommend/index.ts'
import { foldersOf } from './access.ts'
import { albums, artists as artistNodes, songs as songNodes } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, notFound, SubsonicError, unsupported } from './errors.ts'
import { indexesOf, musicDirectory } from './folders.ts'
import { idOf } from './ids.ts'
import { byIndex } from './models.ts'

// Browsing by tags (ID3: artists, albums, songs, genres) and by folder (indexes, directories).

export const IGNORED_ARTICLES = 'The'

/** The catalog's not-found for something the user may not see reads the same as a missing id. */
export function orNotFound<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound(what)
    throw err
  }
}

function getArtists(call: Call): Node {
  const { params, principal, deps } = call
  const folderIds = foldersOf(principal, params)
  const list = allPages((cursor) =>
    deps.catalog.listArtists({ role: 'albumArtist', folderIds, cursor, limit: 500 }),
  )
  const annotated = artistNodes(call, list)
  const nodes = new Map(list.map((a, i) => [a.id, annotated[i] as Node]))
  return {
    artists: {
      ignoredArticles: IGNORED_ARTICLES,
      index: byIndex(
        list,
        (a) => a.sortName,
        (a) => nodes.get(a.id) as Node,
        'artist',
      ),
    },
  }
}

function getArtist(call: Call): Node {
  const { params, principal, deps } = call
  const raw = params.required('id')
  const id = idOf(raw, 'artist')
  const artist = orNotFound(`artist ${raw}`, () => deps.catalog.getArtist(id, principal.folderIds))
  return {
    artist: {
      ...artistNodes(call, [artist])[0],
      album: albums(call, [...artist.albums, ...artist.appearsOn]),
    },
  }
}

function getAlbum(call: Call): Node {
  const { params, principal, deps } = call
  const raw = params.required('id')
  const id = idOf(raw, 'album')
  const album = orNotFound(
    `album ${raw}`,
    () => deps.catalog.listAlbumsAt({ ids: [id], folderIds: principal.folderIds })[0],
  )
  if (!album) throw notFound(`album ${raw}`)
  const songs = deps.catalog.listSongs({ albumId: id, folderIds: principal.folderIds })
  return { album: { ...albums(call, [album])[0], song: songNodes(call, songs) } }
}

function getSong(call: Call): Node {
  const { params, principal, deps } = call
  const raw = params.required('id')
  const id = idOf(raw, 'song')
  const [song] = deps.catalog.listSongs({ ids: [id], folderIds: principal.folderIds })
  if (!song) throw notFound(`song ${raw}`)
  return { song: songNodes(call, [song])[0] }
}

function getGenres({ principal, deps }: Call): Node {
  const genres = allPages((cursor) =>
    deps.catalog.listGenres({ folderIds: principal.folderIds, cursor, limit: 500 }),
  )
  return {
    genres: {
      genre: genres.map((g) => ({ songCount: g.trackCount, albumCount: g.albumCount, value: g.name })),
    },
  }
}

function getMusicFolders({ principal, deps }: Call): Node {
  const folders = deps.listFolders().filter((f) => principal.folderIds.includes(f.id))
  return { musicFolders: { musicFolder: folders.map((f) => ({ id: f.id, name: f.name })) } }
}

/** No external metadata source is configured: the info exists but is empty, as the spec allows. */
const emptyInfo = (key: string) => (call: Call) => {
  call.params.required('id')
  return { [key]: {} }
}

/**
 * Radio from the song, album or artist: the recommender's station (the song itself first), which
 * apps play as "instant mix". Its length is capped at the recommender's maximum.
 */
function similarSongs(key: string) {
  return (call: Call): Node => {
    const { params, principal, deps } = call
    const raw = params.required('id')
    const count = params.int('count', { min: 0, max: 500 }) ?? 50
    const match = /^(ar|al|tr)-(\d+)$/.exec(raw)
    if (!match) throw notFound(`item ${raw.slice(0, 80)}`)
    if (!deps.recommend)
      throw new SubsonicError(CODES.generic, 'recommendations are not available on this server')
    if (count === 0) return { [key]: {} }
    const kind = ({ ar: 'artist', al: 'album', tr: 'track' } as const)[match[1] as 'ar' | 'al' | 'tr']
    const station = deps.recommend.radio(
      principal,
      { kind, id: Number(match[2]) },
      Math.min(count, MAX_RECOMMENDED),
    )
    const found = new Map(
      deps.catalog
        .listSongs({ ids: station.map((t) => t.id), folderIds: principal.folderIds })
        .map((s) => [s.id, s]),
    )
    return {
      [key]: {
        song: songNodes(
          call,
          station.flatMap((t) => found.get(t.id) ?? []),
        ),
      },
    }
  }
}

/** The artist's songs the household played most (all time), then the rest by album order. */
function getTopSongs(call: Call): Node {
  const { params, principal, deps } = call
  const name = params.required('artist')
  const count = params.int('count', { min: 0, max: 500 }) ?? 50
  const artistId = deps.catalog.findArtistByName(name, principal.folderIds)
  if (artistId === undefined) return { topSongs: { song: [] } }
  const songs = deps.catalog.listSongs({ artistId, folderIds: principal.folderIds })
  const plays = new Map(
    (deps.events?.stats.top('track', 'all', 'household', 1000) ?? []).map((t) => [Number(t.id), t.plays]),
  )
  const ranked = songs
    .map((s, i) => ({ s, i, plays: plays.get(s.id) ?? 0 }))
    .sort((a, b) => b.plays - a.plays || a.i - b.i)
    .slice(0, count)
  return {
    topSongs: {
      song: songNodes(
        call,
        ranked.map((r) => r.s),
      ),
    },
  }
}

const video = (endpoint: string) => ({
  handler: () => {
    throw unsupported(endpoint, 'Tonearm serves music, not video')
  },
})

export const browsingRoutes: RouteTable = {
  getMusicFolders: { handler: getMusicFolders },
  getIndexes: { handler: indexesOf },
  getMusicDirectory: { handler: musicDirectory },
  getGenres: { handler: getGenres },
  getArtists: { handler: getArtists },
  getArtist: { handler: getArtist },
  getAlbum: { handler: getAlbum },
  getSong: { handler: getSong },
  getArtistInfo: { handler: emptyInfo('artistInfo') },
  getArtistInfo2: { handler: emptyInfo('artistInfo2') },
  getAlbumInfo: { handler: emptyInfo('albumInfo') },
  getAlbumInfo2: { handler: emptyInfo('albumInfo') },
  getSimilarSongs: { handler: similarSongs('similarSongs') },
  getSimilarSongs2: { handler: similarSongs('similarSongs2') },
  getTopSongs: { handler: getTopSongs },
  getVideos: video('getVideos'),
  getVideoInfo: video('getVideoInfo'),
}
