import { and, eq } from 'drizzle-orm'
import { nowPlaying } from '../../db/schema/index.ts'
import type { Consumer } from '../consumer.ts'
import { isStart, memoResolver, type TrackResolver } from '../tracks.ts'

type State = { trackId: string; startedAt: number; durationMs: number | null } | null

/**
 * The latest start per user and device that no end, skip or transfer has closed yet. Whether it is
 * still playing is decided when read (started less than a track length ago). Ephemeral, so it has
 * no snapshot handler: compacted events are far too old to be playing.
 */
export function nowPlayingConsumer(deps: { resolveTrack: TrackResolver }): Consumer {
  return {
    name: 'now-playing',
    apply(tx, batch) {
      const resolve = memoResolver(deps.resolveTrack)
      const states = new Map<string, { userId: number; deviceId: string; state: State }>()
      const slot = (userId: number, deviceId: string) => {
        const key = `${userId}\0${deviceId}`
        let s = states.get(key)
        if (!s) {
          const row = tx
            .select()
            .from(nowPlaying)
            .where(and(eq(nowPlaying.userId, userId), eq(nowPlaying.deviceId, deviceId)))
            .get()
          s = {
            userId,
            deviceId,
            state: row
              ? { trackId: row.trackId, startedAt: row.startedAt, durationMs: row.durationMs }
              : null,
          }
          states.set(key, s)
        }
        return s
      }
      for (const e of batch) {
        if (isStart(e)) {
          const s = slot(e.userId, e.deviceId)
          // An offline device replaying its buffer must not replace a newer start.
          if (!s.state || e.at >= s.state.startedAt)
            s.state = {
              trackId: e.trackId,
              startedAt: e.at,
              durationMs: resolve(e.trackId)?.durationMs ?? null,
            }
        } else if (e.type === 'play_ended' || e.type === 'skip' || (e.type === 'scrobble' && e.submission)) {
          const s = slot(e.userId, e.deviceId)
          if (s.state && s.state.trackId === e.trackId && s.state.startedAt <= e.at) s.state = null
        } else if (e.type === 'device_transfer') {
          const from = slot(e.userId, e.fromDevice)
          if (from.state && from.state.startedAt <= e.at) {
            slot(e.userId, e.toDevice).state = from.state
            from.state = null
          }
        }
      }
      for (const { userId, deviceId, state } of states.values()) {
        const where = and(eq(nowPlaying.userId, userId), eq(nowPlaying.deviceId, deviceId))
        if (!state) tx.delete(nowPlaying).where(where).run()
        else
          tx.insert(nowPlaying)
            .values({ userId, deviceId, ...state })
            .onConflictDoUpdate({ target: [nowPlaying.userId, nowPlaying.deviceId], set: state })
            .run()
      }
    },
    reset(tx) {
      tx.delete(nowPlaying).run()
    },
  }
}
