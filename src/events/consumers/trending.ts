import { lt } from 'drizzle-orm'
import { trendingHourly } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { hourOf } from '../time.ts'
import { listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { keyed, lazy, preparedUpsert, sum } from '../upsert.ts'

/** Buckets are kept a little longer than the widest window (a week) and then pruned. */
export const TRENDING_KEEP_HOURS = 8 * 24

/**
 * Household plays per track and hour, from which the last hour, day and week are summed. It needs
 * no snapshot: compaction only touches events older than the retention age, which is at least
 * TRENDING_KEEP_HOURS, so they are outside every window.
 */
export function trendingConsumer(deps: {
  db: Db
  resolveTrack: TrackResolver
  rule: PlayRule
  now: () => number
}): Consumer {
  const write = lazy(() =>
    preparedUpsert(deps.db, trendingHourly, [trendingHourly.trackId, trendingHourly.hour], {
      plays: sum(trendingHourly.plays),
    }),
  )
  return {
    name: 'trending',
    apply(tx, batch) {
      const resolve = memoResolver(deps.resolveTrack)
      const oldest = hourOf(deps.now()) - TRENDING_KEEP_HOURS
      const acc = keyed<typeof trendingHourly.$inferInsert>()
      for (const e of batch) {
        const l = listenOf(e, resolve, deps.rule)
        const hour = hourOf(e.at)
        if (!l?.counted || hour < oldest) continue
        acc.get(`${l.trackId}\0${hour}`, () => ({ trackId: l.trackId, hour, plays: 0 })).plays++
      }
      write()(acc.rows())
      tx.delete(trendingHourly).where(lt(trendingHourly.hour, oldest)).run()
    },
    reset(tx) {
      tx.delete(trendingHourly).run()
    },
  }
}
