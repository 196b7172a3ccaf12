import type { SearchKind } from '../../search/index.ts'
import { foldersOf } from './access.ts'
import { albums, artists as artistNodes, songs } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, SubsonicError, unsupported } from './errors.ts'
import { artistId } from './ids.ts'

// search2 and search3 over the search domain: ranked ids per kind, paged by the spec's
// count/offset pairs; an empty query (or `""`, which some apps send) pages through everything.

const DEFAULT_COUNT = 20

function find(call: Call, kind: SearchKind, param: 'artist' | 'album' | 'song', q: string): number[] {
  const { params, principal, deps } = call
  if (!deps.search) throw new SubsonicError(CODES.generic, 'search is not available on this server')
  const limit = params.int(`${param}Count`, { min: 0, max: 500 }) ?? DEFAULT_COUNT
  const offset = params.int(`${param}Offset`, { min: 0 }) ?? 0
  if (limit === 0) return []
  return deps.search.find(kind, q, {
    offset,
    limit,
    folderIds: foldersOf(principal, params),
    userId: principal.userId,
  }).ids
}

function query(call: Call): string {
  const q = (call.params.get('query') ?? '').trim()
  return q === '""' || q === "''" ? '' : q
}

function results(call: Call) {
  const q = query(call)
  const { deps, principal } = call
  const artistIds = find(call, 'artist', 'artist', q)
  const albumIds = find(call, 'album', 'album', q)
  const songIds = find(call, 'track', 'song', q)
  const artists = deps.catalog.artistSummaries(artistIds, principal.folderIds)
  return {
    artists: artistIds.flatMap((id) => artists.get(id) ?? []),
    albums: deps.catalog.listAlbumsAt({ ids: albumIds, folderIds: principal.folderIds, limit: 500 }),
    songs: deps.catalog.listSongs({ ids: songIds, folderIds: principal.folderIds }),
  }
}

function search3(call: Call): Node {
  const r = results(call)
  return {
    searchResult3: {
      artist: artistNodes(call, r.artists),
      album: albums(call, r.albums),
      song: songs(call, r.songs),
    },
  }
}

function search2(call: Call): Node {
  const r = results(call)
  return {
    searchResult2: {
      artist: r.artists.map((a) => ({ id: artistId(a.id), name: a.name })),
      album: albums(call, r.albums, 'child'),
      song: songs(call, r.songs),
    },
  }
}

export const searchingRoutes: RouteTable = {
  search2: { handler: search2 },
  search3: { handler: search3 },
  search: {
    handler: () => {
      throw unsupported('search', 'it was replaced by search2 and search3 in Subsonic 1.4')
    },
  },
}
