import type { PlaylistDetail, PlaylistSummary, Playlists } from '../../playlists/index.ts'
import { songs } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, missing, notFound, SubsonicError } from './errors.ts'
import { idOf, playlistId } from './ids.ts'
import { invalidParam } from './params.ts'

// Playlists over the playlists domain, which owns order, grants and who may edit (owner or admin).

function requirePlaylists(call: Call): Playlists {
  if (!call.deps.playlists)
    throw new SubsonicError(CODES.generic, 'playlists are not available on this server')
  return call.deps.playlists
}

function summary(p: PlaylistSummary): Node {
  return {
    id: playlistId(p.id),
    name: p.name,
    comment: p.comment || undefined,
    owner: p.owner.username,
    public: p.public,
    songCount: p.entryCount,
    duration: Math.round(p.duration),
    created: p.createdAt,
    changed: p.changedAt,
    // OpenSubsonic: whether this user may change its tracks (a collaborative playlist is not read-only).
    readonly: p.tracksEditable ? undefined : true,
  }
}

function detail(call: Call, p: PlaylistDetail): Node {
  const ids = p.entries.map((e) => e.trackId)
  const found = new Map(
    call.deps.catalog
      .listSongs({ ids: [...new Set(ids)], folderIds: call.principal.folderIds })
      .map((s) => [s.id, s]),
  )
  const entry = songs(
    call,
    ids.flatMap((id) => found.get(id) ?? []),
  )
  return { playlist: { ...summary(p), coverArt: entry[0]?.coverArt, entry } }
}

function getPlaylists(call: Call): Node {
  const playlists = requirePlaylists(call)
  const username = call.params.get('username')
  let ownerId: number | undefined
  if (username && username !== call.principal.username) {
    const owner = call.deps.accounts.users.findByName(username)
    // Another user's playlists: admins see them all, others only their public ones.
    if (!owner) throw notFound(`user ${username.slice(0, 64)}`)
    ownerId = owner.id
  }
  const list = playlists.list(call.principal, ownerId === undefined ? {} : { ownerId })
  return { playlists: { playlist: list.map((p) => summary(p)) } }
}

function getPlaylist(call: Call): Node {
  const id = idOf(call.params.required('id'), 'playlist')
  return detail(call, requirePlaylists(call).get(call.principal, id))
}

/** Creates a playlist, or (with playlistId) replaces the songs of one — Subsonic's createPlaylist does both. */
function createPlaylist(call: Call): Node {
  const playlists = requirePlaylists(call)
  const { params, principal } = call
  const trackIds = params.all('songId').map((raw) => idOf(raw, 'song', 'songId'))
  const existing = params.get('playlistId')
  const name = params.get('name')
  if (existing) {
    const id = idOf(existing, 'playlist', 'playlistId')
    if (name) playlists.update(principal, id, { name })
    playlists.replaceTracks(principal, id, trackIds)
    return detail(call, playlists.get(principal, id))
  }
  if (!name) throw missing('name or playlistId')
  // Since Subsonic 1.14 the answer is the playlist with its entries.
  return detail(call, playlists.get(principal, playlists.create(principal, { name, trackIds }).id))
}

function updatePlaylist(call: Call): Node {
  const playlists = requirePlaylists(call)
  const { params, principal } = call
  const id = idOf(params.required('playlistId'), 'playlist', 'playlistId')
  const removeIndexes = params.all('songIndexToRemove').map((raw) => {
    if (!/^\d{1,6}$/.test(raw)) throw invalidParam('songIndexToRemove', 'must be 0-based positions')
    return Number(raw)
  })
  playlists.update(principal, id, {
    name: params.get('name') || undefined,
    comment: params.get('comment'),
    public: params.bool('public'),
    removeIndexes,
    addTrackIds: params.all('songIdToAdd').map((raw) => idOf(raw, 'song', 'songIdToAdd')),
  })
  return {}
}

function deletePlaylist(call: Call): Node {
  requirePlaylists(call).delete(call.principal, idOf(call.params.required('id'), 'playlist'))
  return {}
}

export const playlistRoutes: RouteTable = {
  getPlaylists: { handler: getPlaylists },
  getPlaylist: { handler: getPlaylist },
  createPlaylist: { handler: createPlaylist, write: true },
  updatePlaylist: { handler: updatePlaylist, write: true },
  deletePlaylist: { handler: deletePlaylist, write: true },
}
