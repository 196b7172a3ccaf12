import type { AlbumOrder, AlbumSummary } from '../../catalog/index.ts'
import { foldersOf } from './access.ts'
import { albums, songs as songNodes } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { missing } from './errors.ts'
import { requireLibrary } from './library.ts'
import { child } from './models.ts'
import { invalidParam } from './params.ts'

// Lists: albums by the spec's types, random songs, songs of a genre, what is playing now.

export const ALBUM_LIST_TYPES = [
  'random',
  'newest',
  'highest',
  'frequent',
  'recent',
  'alphabeticalByName',
  'alphabeticalByArtist',
  'starred',
  'byYear',
  'byGenre',
] as const

const ORDER_OF: Partial<Record<(typeof ALBUM_LIST_TYPES)[number], AlbumOrder>> = {
  random: 'random',
  newest: 'newest',
  alphabeticalByName: 'name',
  alphabeticalByArtist: 'artist',
}

function albumList(call: Call): AlbumSummary[] {
  const { params, principal, deps } = call
  const type = params.required('type') as (typeof ALBUM_LIST_TYPES)[number]
  if (!ALBUM_LIST_TYPES.includes(type))
    throw invalidParam('type', `must be one of ${ALBUM_LIST_TYPES.join(', ')}`)
  const size = params.int('size', { min: 0, max: 500 }) ?? 10
  const offset = params.int('offset', { min: 0 }) ?? 0
  const folderIds = foldersOf(principal, params)
  const page = { limit: size, offset, folderIds }
  const order = ORDER_OF[type]
  if (order) return deps.catalog.listAlbumsAt({ ...page, order })
  if (type === 'byYear') {
    const from = params.int('fromYear')
    const to = params.int('toYear')
    if (from === undefined) throw missing('fromYear')
    if (to === undefined) throw missing('toYear')
    // The spec: fromYear after toYear lists in reverse chronological order.
    return deps.catalog.listAlbumsAt({
      ...page,
      order: from <= to ? 'yearAsc' : 'yearDesc',
      yearFrom: Math.min(from, to),
      yearTo: Math.max(from, to),
    })
  }
  if (type === 'byGenre')
    return deps.catalog.listAlbumsAt({ ...page, order: 'name', genre: params.required('genre') })
  let ids: number[] = []
  if (type === 'frequent' || type === 'recent') {
    const scope = { userId: principal.userId }
    const stats = deps.events?.stats
    const ranked =
      type === 'frequent' ? stats?.top('album', 'all', scope, 5000) : stats?.recent('album', scope, 5000)
    ids = (ranked ?? []).map((r) => Number(r.id)).filter(Number.isSafeInteger)
  } else ids = starredOrRated(call, type as 'highest' | 'starred')
  return deps.catalog.listAlbumsAt({ ...page, ids })
}

/** The user's albums by star (newest first) or rating (highest first), from the library domain. */
function starredOrRated(call: Call, type: 'highest' | 'starred'): number[] {
  const library = requireLibrary(call)
  const { userId } = call.principal
  return type === 'starred'
    ? library.starred(call.principal).albums.map((a) => a.id)
    : library.ratedIds(userId, 'album').map((r) => r.id)
}

function getRandomSongs(call: Call): Node {
  const { params, principal, deps } = call
  const size = params.int('size', { min: 0, max: 500 }) ?? 10
  const songs = deps.catalog.listSongs({
    order: 'random',
    limit: size,
    folderIds: foldersOf(principal, params),
    genre: params.get('genre') || undefined,
    fromYear: params.int('fromYear'),
    toYear: params.int('toYear'),
  })
  return { randomSongs: { song: songNodes(call, songs) } }
}

function getSongsByGenre(call: Call): Node {
  const { params, principal, deps } = call
  const genre = params.required('genre')
  const songs = deps.catalog.listSongs({
    genre,
    order: 'name',
    limit: params.int('count', { min: 0, max: 500 }) ?? 10,
    offset: params.int('offset', { min: 0 }) ?? 0,
    folderIds: foldersOf(principal, params),
  })
  return { songsByGenre: { song: songNodes(call, songs) } }
}

function getNowPlaying({ principal, deps }: Call): Node {
  const now = Date.now()
  const playing = deps.events?.stats.nowPlaying() ?? []
  const ids = playing.map((p) => Number(p.trackId)).filter(Number.isSafeInteger)
  const songs = new Map(deps.catalog.listSongs({ ids, folderIds: principal.folderIds }).map((s) => [s.id, s]))
  const users = new Map<number, string>()
  const entry = playing.flatMap((p) => {
    const song = songs.get(Number(p.trackId))
    if (!song) return []
    if (!users.has(p.userId))
      users.set(p.userId, userName(principal.userId === p.userId ? principal.username : '', p.userId, deps))
    return [
      {
        ...child(song),
        username: users.get(p.userId),
        minutesAgo: Math.max(0, Math.floor((now - p.startedAt) / 60_000)),
        playerId: 0,
        playerName: p.deviceId,
        state: p.state,
        positionMs: Math.max(0, p.positionMs),
      },
    ]
  })
  return { nowPlaying: { entry } }
}

function userName(known: string, userId: number, deps: Call['deps']): string {
  if (known) return known
  // Read as the server itself (no principal): listeners may see each other's names here, as
  // Subsonic's now-playing list shows them, without being allowed to read each other's accounts.
  try {
    return deps.accounts.users.get(userId, {}).username
  } catch {
    return ''
  }
}

export const listRoutes: RouteTable = {
  getAlbumList: { handler: (call) => ({ albumList: { album: albums(call, albumList(call), 'child') } }) },
  getAlbumList2: { handler: (call) => ({ albumList2: { album: albums(call, albumList(call)) } }) },
  getRandomSongs: { handler: getRandomSongs },
  getSongsByGenre: { handler: getSongsByGenre },
  getNowPlaying: { handler: getNowPlaying },
}
