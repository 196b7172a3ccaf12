import { playCounts, playCountsGlobal, playDaily } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { dayOf } from '../time.ts'
import { listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { greatest, keyed, lazy, preparedUpsert, sum } from '../upsert.ts'

type Kind = 'track' | 'album' | 'artist'

/** What one listen (or one compacted day of listens) adds to a track and everything it belongs to. */
interface Delta {
  userId: number
  trackId: string
  plays: number
  heardMs: number
  /** When the latest counted play in this delta happened; null when none counted. */
  lastPlayedAt: number | null
  day: number
}

/**
 * Play counts, heard time and last play per user × track, album and artist, the same summed over
 * the household, and per day for charts over a period. A listen below the play threshold still
 * adds its heard time (listening time is time, whatever the verdict) but no play.
 */
export function playsConsumer(deps: { db: Db; resolveTrack: TrackResolver; rule: PlayRule }): Consumer {
  const set = (t: typeof playCounts | typeof playCountsGlobal | typeof playDaily) => ({
    plays: sum(t.plays),
    heardMs: sum(t.heardMs),
    lastPlayedAt: greatest(t.lastPlayedAt),
  })
  const writers = lazy(() => ({
    user: preparedUpsert(
      deps.db,
      playCounts,
      [playCounts.userId, playCounts.kind, playCounts.itemId],
      set(playCounts),
    ),
    global: preparedUpsert(
      deps.db,
      playCountsGlobal,
      [playCountsGlobal.kind, playCountsGlobal.itemId],
      set(playCountsGlobal),
    ),
    daily: preparedUpsert(
      deps.db,
      playDaily,
      [playDaily.userId, playDaily.kind, playDaily.itemId, playDaily.day],
      set(playDaily),
    ),
  }))

  function write(deltas: Iterable<Delta>, resolve: TrackResolver): void {
    const user = keyed<typeof playCounts.$inferInsert>()
    const global = keyed<typeof playCountsGlobal.$inferInsert>()
    const daily = keyed<typeof playDaily.$inferInsert>()
    const add = <R extends { plays: number; heardMs: number; lastPlayedAt?: number | null }>(
      r: R,
      d: Delta,
    ) => {
      r.plays += d.plays
      r.heardMs += d.heardMs
      if (d.lastPlayedAt !== null && (r.lastPlayedAt == null || d.lastPlayedAt > r.lastPlayedAt))
        r.lastPlayedAt = d.lastPlayedAt
    }
    for (const d of deltas) {
      const track = resolve(d.trackId)
      const items: [Kind, string][] = [['track', d.trackId]]
      if (track?.albumId) items.push(['album', track.albumId])
      for (const artist of new Set(track?.artistIds ?? [])) items.push(['artist', artist])
      for (const [kind, itemId] of items) {
        const init = { kind, itemId, plays: 0, heardMs: 0, lastPlayedAt: null }
        add(
          user.get(`${d.userId}\0${kind}\0${itemId}`, () => ({ ...init, userId: d.userId })),
          d,
        )
        add(
          global.get(`${kind}\0${itemId}`, () => ({ ...init })),
          d,
        )
        add(
          daily.get(`${d.userId}\0${kind}\0${itemId}\0${d.day}`, () => ({
            ...init,
            userId: d.userId,
            day: d.day,
          })),
          d,
        )
      }
    }
    const w = writers()
    w.user(user.rows())
    w.global(global.rows())
    w.daily(daily.rows())
  }

  return {
    name: 'plays',
    apply(_tx, batch) {
      const resolve = memoResolver(deps.resolveTrack)
      const deltas: Delta[] = []
      for (const e of batch) {
        const l = listenOf(e, resolve, deps.rule)
        if (!l || (!l.counted && l.heardMs === 0)) continue
        deltas.push({
          userId: e.userId,
          trackId: l.trackId,
          plays: l.counted ? 1 : 0,
          heardMs: l.heardMs,
          lastPlayedAt: l.counted ? e.at : null,
          day: dayOf(e.at),
        })
      }
      write(deltas, resolve)
    },
    applySnapshot(_tx, rows) {
      const deltas = rows
        .filter((r) => r.plays > 0 || r.heardMs > 0)
        .map((r) => ({ ...r, lastPlayedAt: r.plays > 0 ? r.lastPlayedAt : null }))
      write(deltas, memoResolver(deps.resolveTrack))
    },
    reset(tx) {
      tx.delete(playCounts).run()
      tx.delete(playCountsGlobal).run()
      tx.delete(playDaily).run()
    },
  }
}
