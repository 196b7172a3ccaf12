import type { Share, ShareItemRef, Shares } from '../../shares/index.ts'
import { publicOrigin } from '../rest/play.ts'
import { songs } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, missing, SubsonicError } from './errors.ts'
import { parseId } from './ids.ts'
import { invalidParam } from './params.ts'

// Shares over the shares domain: a public, expiring link to songs, albums or playlists that plays
// in any browser through the share page, without an account.

function requireShares(call: Call): Shares {
  if (!call.deps.shares) throw new SubsonicError(CODES.generic, 'sharing is not available on this server')
  return call.deps.shares
}

function shareNode(call: Call, s: Share): Node {
  const ids = s.items.flatMap((i) => i.tracks.map((t) => t.id))
  const found = new Map(
    call.deps.catalog
      .listSongs({ ids: [...new Set(ids)], folderIds: call.principal.folderIds })
      .map((x) => [x.id, x]),
  )
  return {
    id: s.id,
    url: new URL(s.path, publicOrigin(call.c)).href,
    description: s.description || undefined,
    username: s.owner.username,
    created: s.createdAt,
    expires: s.expiresAt,
    lastVisited: s.lastVisitedAt ?? undefined,
    visitCount: s.visitCount,
    entry: songs(
      call,
      ids.flatMap((id) => found.get(id) ?? []),
    ),
  }
}

function items(call: Call): ShareItemRef[] {
  const refs = call.params.all('id').map((raw): ShareItemRef => {
    const id = parseId(raw)
    if (id.kind === 'song') return { kind: 'track', id: id.id }
    if (id.kind === 'album' || id.kind === 'playlist') return { kind: id.kind, id: id.id }
    throw invalidParam('id', `"${raw.slice(0, 80)}" cannot be shared: share songs, albums or playlists`)
  })
  if (refs.length === 0) throw missing('id')
  return refs
}

function expires(call: Call): number | undefined {
  return call.params.int('expires', { min: 0 }) || undefined
}

function getShares(call: Call): Node {
  const list = requireShares(call).list(call.principal)
  return { shares: { share: list.map((s) => shareNode(call, s)) } }
}

function createShare(call: Call): Node {
  const share = requireShares(call).create(call.principal, {
    items: items(call),
    description: call.params.get('description'),
    expiresAt: expires(call),
  })
  return { shares: { share: [shareNode(call, share)] } }
}

function updateShare(call: Call): Node {
  const id = call.params.required('id')
  requireShares(call).update(call.principal, id, {
    description: call.params.get('description'),
    expiresAt: expires(call),
  })
  return {}
}

function deleteShare(call: Call): Node {
  requireShares(call).delete(call.principal, call.params.required('id'))
  return {}
}

export const sharingRoutes: RouteTable = {
  getShares: { handler: getShares },
  createShare: { handler: createShare, write: true },
  updateShare: { handler: updateShare, write: true },
  deleteShare: { handler: deleteShare, write: true },
}
