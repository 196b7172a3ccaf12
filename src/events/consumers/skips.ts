import { trackSkips } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { isStart, listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { keyed, lazy, preparedUpsert, sum } from '../upsert.ts'

type Row = typeof trackSkips.$inferInsert

/** Starts, skips and counted plays per user and track: the skip rate recommendations avoid. */
export function skipsConsumer(deps: { db: Db; resolveTrack: TrackResolver; rule: PlayRule }): Consumer {
  const write = lazy(() =>
    preparedUpsert(deps.db, trackSkips, [trackSkips.userId, trackSkips.trackId], {
      starts: sum(trackSkips.starts),
      skips: sum(trackSkips.skips),
      plays: sum(trackSkips.plays),
    }),
  )
  return {
    name: 'skips',
    apply(_tx, batch) {
      const resolve = memoResolver(deps.resolveTrack)
      const acc = keyed<Row>()
      const row = (userId: number, trackId: string) =>
        acc.get(`${userId}\0${trackId}`, () => ({ userId, trackId, starts: 0, skips: 0, plays: 0 }))
      for (const e of batch) {
        if (isStart(e)) row(e.userId, e.trackId).starts++
        else if (e.type === 'skip') row(e.userId, e.trackId).skips++
        else if (listenOf(e, resolve, deps.rule)?.counted && e.trackId) row(e.userId, e.trackId).plays++
      }
      write()(acc.rows())
    },
    applySnapshot(_tx, rows) {
      write()(
        rows
          .filter((r) => r.starts + r.skips + r.plays > 0)
          .map((r) => ({
            userId: r.userId,
            trackId: r.trackId,
            starts: r.starts,
            skips: r.skips,
            plays: r.plays,
          })),
      )
    },
    reset(tx) {
      tx.delete(trackSkips).run()
    },
  }
}
