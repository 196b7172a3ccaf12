import { and, eq, sql } from 'drizzle-orm'
import { nowPlaying } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { isStart, memoResolver, type TrackResolver } from '../tracks.ts'
import { lazy, preparedUpsert } from '../upsert.ts'

/** A device's row without its key: what plays, from when (now − position), paused since when. */
type State = Omit<typeof nowPlaying.$inferSelect, 'userId' | 'deviceId'> | null

/**
 * The latest start per user and device that no end, skip or transfer has closed yet, and where its
 * playhead is: pauses, resumes and seeks move the start to "now − position", so one column keeps
 * the position whichever way it went. Whether it is still playing is decided when read (less than
 * a track length left, or paused not too long ago). Ephemeral, so it has no snapshot handler:
 * compacted events are far too old to be playing.
 */
export function nowPlayingConsumer(deps: { db: Db; resolveTrack: TrackResolver }): Consumer {
  const n = nowPlaying
  const where = and(eq(n.userId, sql.placeholder('userId')), eq(n.deviceId, sql.placeholder('deviceId')))
  const statements = lazy(() => ({
    get: deps.db.select().from(n).where(where).prepare(),
    remove: deps.db.delete(n).where(where).prepare(),
    save: preparedUpsert(deps.db, n, [n.userId, n.deviceId], {
      trackId: sql.raw('excluded."track_id"'),
      startedAt: sql.raw('excluded."started_at"'),
      durationMs: sql.raw('excluded."duration_ms"'),
      pausedAt: sql.raw('excluded."paused_at"'),
    }),
  }))

  return {
    name: 'now-playing',
    apply(_tx, batch) {
      const s = statements()
      const resolve = memoResolver(deps.resolveTrack)
      const states = new Map<string, { userId: number; deviceId: string; state: State }>()
      const slot = (userId: number, deviceId: string) => {
        const key = `${userId}\0${deviceId}`
        let found = states.get(key)
        if (!found) {
          const row = s.get.get({ userId, deviceId })
          let state: State = null
          if (row) {
            const { userId: _user, deviceId: _device, ...kept } = row
            state = kept
          }
          found = { userId, deviceId, state }
          states.set(key, found)
        }
        return found
      }
      for (const e of batch) {
        if (isStart(e)) {
          const d = slot(e.userId, e.deviceId)
          // An offline device replaying its buffer must not replace a newer start.
          if (!d.state || e.at >= d.state.startedAt)
            d.state = {
              trackId: e.trackId,
              startedAt: e.at,
              durationMs: resolve(e.trackId)?.durationMs ?? null,
              pausedAt: null,
            }
        } else if (e.type === 'pause' || e.type === 'resume') {
          // A resume also stands in for a start that was never reported (an app that only sends
          // its periodic "playing"): the device plays that track now, at that position.
          const d = slot(e.userId, e.deviceId)
          const same = d.state?.trackId === e.trackId
          if (!same && (e.type === 'pause' || (d.state && e.at < d.state.startedAt))) continue
          d.state = {
            trackId: e.trackId,
            startedAt: e.at - e.positionMs,
            durationMs: same ? (d.state?.durationMs ?? null) : (resolve(e.trackId)?.durationMs ?? null),
            pausedAt: e.type === 'pause' ? e.at : null,
          }
        } else if (e.type === 'seek') {
          const d = slot(e.userId, e.deviceId)
          if (d.state?.trackId === e.trackId) d.state.startedAt = (d.state.pausedAt ?? e.at) - e.toMs
        } else if (e.type === 'play_ended' || e.type === 'skip' || (e.type === 'scrobble' && e.submission)) {
          const d = slot(e.userId, e.deviceId)
          if (d.state && d.state.trackId === e.trackId && d.state.startedAt <= e.at) d.state = null
        } else if (e.type === 'device_transfer') {
          const from = slot(e.userId, e.fromDevice)
          if (from.state && from.state.startedAt <= e.at) {
            slot(e.userId, e.toDevice).state = from.state
            from.state = null
          }
        }
      }
      for (const { userId, deviceId, state } of states.values()) {
        if (state) s.save([{ userId, deviceId, ...state }])
        else s.remove.run({ userId, deviceId })
      }
    },
    reset(tx) {
      tx.delete(nowPlaying).run()
    },
  }
}
