import { invalid } from '../lib/errors.ts'
import { positionAt } from './commands.ts'
import type { Playback } from './playback.ts'
import { shuffledOrder } from './queue.ts'
import { parseOrThrow, savePlayQueueSchema } from './schemas.ts'
import type { PlayQueue, SavePlayQueue } from './types.ts'

// Subsonic's getPlayQueue/savePlayQueue over the same state the devices share, so a phone app
// that saves its queue and the web player that picks it up agree on one queue and one position.

export function createPlayQueue(playback: Playback, now: () => number, random: () => number) {
  function getPlayQueue(userId: number): PlayQueue {
    const s = playback.current(userId)
    return {
      trackIds: [...s.queue],
      current: s.trackId,
      index: s.trackId === null ? -1 : s.index,
      positionMs: positionAt(s, now()),
      changedAt: s.changedAt,
      changedBy: s.changedBy,
      version: s.version,
    }
  }

  return {
    getPlayQueue,

    /**
     * Replaces the queue and position, as Subsonic's savePlayQueue does (last write wins: the
     * protocol has no versions). The saving app is playing on its own, so the shared state pauses
     * rather than having a second device play the same queue aloud.
     */
    savePlayQueue(userId: number, input: SavePlayQueue): PlayQueue {
      const q = parseOrThrow(savePlayQueueSchema, input, 'playQueue')
      playback.checkTracks(userId, q.trackIds)
      if (q.index !== undefined && q.index >= q.trackIds.length)
        throw invalid(`index ${q.index} is beyond the queue of ${q.trackIds.length}`, { field: 'index' })
      const current = q.current ?? null
      const index =
        q.index ?? (current === null ? (q.trackIds.length > 0 ? 0 : -1) : q.trackIds.indexOf(current))
      if (index < 0 && current !== null)
        throw invalid(`current track ${current} is not in the queue`, { field: 'current' })
      const s = playback.current(userId)
      const t = now()
      playback.commit(userId, s, {
        ...s,
        version: s.version + 1,
        queue: [...q.trackIds],
        index,
        trackId: q.trackIds[index] ?? null,
        order: s.shuffle ? shuffledOrder(q.trackIds.length, index, random) : null,
        positionMs: index < 0 ? 0 : (q.positionMs ?? 0),
        observedAt: t,
        playing: false,
        changedBy: q.changedBy,
        changedAt: t,
        transfer: null,
      })
      return getPlayQueue(userId)
    },
  }
}
