import type { ItemRef, Library } from '../../library/index.ts'
import { albums, artists, songs } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, missing, SubsonicError } from './errors.ts'
import { artistId, idOf, parseId } from './ids.ts'
import { invalidParam } from './params.ts'

// Stars, ratings and bookmarks over the library domain, which keeps them per user and within the
// user's folder grants; starred lists and the "highest" and "starred" album lists read them back.

export function requireLibrary(call: Call): Library {
  if (!call.deps.library)
    throw new SubsonicError(CODES.generic, 'stars and ratings are not available on this server')
  return call.deps.library
}

/** `id` may name a song, album or artist; `albumId` and `artistId` name only their kind. */
function items(call: Call): ItemRef[] {
  const { params } = call
  const refs: ItemRef[] = []
  for (const raw of params.all('id')) {
    const id = parseId(raw)
    if (id.kind === 'song') refs.push({ kind: 'track', id: id.id })
    else if (id.kind === 'album' || id.kind === 'artist') refs.push({ kind: id.kind, id: id.id })
    else throw invalidParam('id', `"${raw.slice(0, 80)}" cannot be starred: star its songs, album or artist`)
  }
  for (const raw of params.all('albumId')) refs.push({ kind: 'album', id: idOf(raw, 'album', 'albumId') })
  for (const raw of params.all('artistId')) refs.push({ kind: 'artist', id: idOf(raw, 'artist', 'artistId') })
  if (refs.length === 0) throw missing('id, albumId or artistId')
  return refs
}

function star(call: Call): Node {
  requireLibrary(call).star(call.principal, items(call))
  return {}
}

function unstar(call: Call): Node {
  requireLibrary(call).unstar(call.principal, items(call))
  return {}
}

function setRating(call: Call): Node {
  const raw = call.params.required('id')
  const rating = call.params.requiredInt('rating', { min: 0, max: 5 })
  const id = parseId(raw)
  if (id.kind !== 'song' && id.kind !== 'album' && id.kind !== 'artist')
    throw invalidParam('id', `"${raw.slice(0, 80)}" cannot be rated: rate a song, album or artist`)
  requireLibrary(call).setRating(
    call.principal,
    { kind: id.kind === 'song' ? 'track' : id.kind, id: id.id },
    rating,
  )
  return {}
}

function starred(call: Call) {
  const s = requireLibrary(call).starred(call.principal)
  const folderIds = call.principal.folderIds
  return {
    artists: s.artists,
    albums: call.deps.catalog.listAlbumsAt({ ids: s.albums.map((a) => a.id), folderIds, limit: 500 }),
    songs: call.deps.catalog.listSongs({ ids: s.tracks.map((t) => t.id), folderIds }),
  }
}

function getStarred2(call: Call): Node {
  const s = starred(call)
  return {
    starred2: { artist: artists(call, s.artists), album: albums(call, s.albums), song: songs(call, s.songs) },
  }
}

function getStarred(call: Call): Node {
  const s = starred(call)
  const starredAt = new Map(s.artists.map((a) => [a.id, a.starredAt]))
  return {
    starred: {
      artist: s.artists.map((a) => ({ id: artistId(a.id), name: a.name, starred: starredAt.get(a.id) })),
      album: albums(call, s.albums, 'child'),
      song: songs(call, s.songs),
    },
  }
}

function getBookmarks(call: Call): Node {
  const list = requireLibrary(call).listBookmarks(call.principal)
  const found = new Map(
    call.deps.catalog
      .listSongs({ ids: list.map((b) => b.trackId), folderIds: call.principal.folderIds })
      .map((s) => [s.id, s]),
  )
  const entries = songs(
    call,
    list.flatMap((b) => found.get(b.trackId) ?? []),
  )
  const byId = new Map(entries.map((e) => [e.id, e]))
  return {
    bookmarks: {
      bookmark: list.flatMap((b) => {
        const entry = byId.get(`tr-${b.trackId}`)
        if (!entry) return []
        return [
          {
            position: b.positionMs,
            username: call.principal.username,
            comment: b.comment || undefined,
            created: b.createdAt,
            changed: b.changedAt,
            entry,
          },
        ]
      }),
    },
  }
}

function createBookmark(call: Call): Node {
  const id = idOf(call.params.required('id'), 'song')
  const positionMs = call.params.requiredInt('position', { min: 0 })
  requireLibrary(call).saveBookmark(call.principal, id, { positionMs, comment: call.params.get('comment') })
  return {}
}

function deleteBookmark(call: Call): Node {
  const raw = call.params.required('id')
  requireLibrary(call).deleteBookmark(call.principal, idOf(raw, 'song'))
  return {}
}

export const libraryRoutes: RouteTable = {
  star: { handler: star, write: true },
  unstar: { handler: unstar, write: true },
  setRating: { handler: setRating, write: true },
  getStarred: { handler: getStarred },
  getStarred2: { handler: getStarred2 },
  getBookmarks: { handler: getBookmarks },
  createBookmark: { handler: createBookmark, write: true },
  deleteBookmark: { handler: deleteBookmark, write: true },
}
