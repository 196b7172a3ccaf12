import { songs as songNodes } from './annotate.ts'
import type { Call, RouteTable } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, SubsonicError } from './errors.ts'
import { idOf, songId } from './ids.ts'
import { invalidParam } from './params.ts'

// The play queue is the devices domain's shared playback state: an app that saves its queue and
// the web player (or another app) that opens it agree on one queue and one position.

const changedBy = (call: Call) => (call.params.get('c') || 'subsonic').slice(0, 64)

function entries(call: Call, trackIds: number[]): Node[] {
  const songs = new Map(
    call.deps.catalog
      .listSongs({ ids: [...new Set(trackIds)], folderIds: call.principal.folderIds })
      .map((s) => [s.id, s]),
  )
  return songNodes(
    call,
    trackIds.flatMap((id) => songs.get(id) ?? []),
  )
}

function queueOf(call: Call) {
  const q = call.deps.devices.getPlayQueue(call.principal.userId)
  return {
    q,
    common: {
      position: q.positionMs,
      username: call.principal.username,
      changed: new Date(q.changedAt || Date.now()).toISOString(),
      changedBy: q.changedBy ?? '',
    },
  }
}

function getPlayQueue(call: Call): Node {
  const { q, common } = queueOf(call)
  // An empty queue is an empty answer, as the spec's clients expect (no playQueue element).
  if (q.trackIds.length === 0) return {}
  return {
    playQueue: {
      current: q.current === null ? undefined : songId(q.current),
      ...common,
      entry: entries(call, q.trackIds),
    },
  }
}

function getPlayQueueByIndex(call: Call): Node {
  const { q, common } = queueOf(call)
  if (q.trackIds.length === 0) return {}
  return {
    playQueueByIndex: {
      currentIndex: q.index < 0 ? undefined : q.index,
      ...common,
      entry: entries(call, q.trackIds),
    },
  }
}

function savePlayQueue(call: Call): Node {
  const { params, principal, deps } = call
  const trackIds = params.all('id').map((raw) => idOf(raw, 'song'))
  const current = params.get('current')
  deps.devices.savePlayQueue(principal.userId, {
    trackIds,
    current: current ? idOf(current, 'song', 'current') : null,
    positionMs: trackIds.length === 0 ? 0 : (params.int('position', { min: 0 }) ?? 0),
    changedBy: changedBy(call),
  })
  return {}
}

function savePlayQueueByIndex(call: Call): Node {
  const { params, principal, deps } = call
  const trackIds = params.all('id').map((raw) => idOf(raw, 'song'))
  const index = params.int('currentIndex', { min: 0 })
  if (trackIds.length === 0 && index !== undefined)
    throw invalidParam('currentIndex', 'must not be given without ids (an empty queue has no current entry)')
  if (trackIds.length > 0 && (index === undefined || index >= trackIds.length))
    throw new SubsonicError(
      CODES.missingParameter,
      `parameter currentIndex: required, from 0 to ${trackIds.length - 1} for a queue of ${trackIds.length}`,
    )
  deps.devices.savePlayQueue(principal.userId, {
    trackIds,
    index,
    positionMs: trackIds.length === 0 ? 0 : (params.int('position', { min: 0 }) ?? 0),
    changedBy: changedBy(call),
  })
  return {}
}

export const queueRoutes: RouteTable = {
  getPlayQueue: { handler: getPlayQueue },
  savePlayQueue: { handler: savePlayQueue, write: true },
  getPlayQueueByIndex: { handler: getPlayQueueByIndex },
  savePlayQueueByIndex: { handler: savePlayQueueByIndex, write: true },
}
