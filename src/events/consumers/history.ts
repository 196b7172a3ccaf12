import { listeningHistory } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { lazy, preparedInsert } from '../upsert.ts'

/**
 * One history entry per counted play. It has no snapshot handler on purpose: compaction keeps
 * counts per day, not individual plays, so a history rebuilt after compaction starts at the
 * compaction watermark. The running consumer's own table is never compacted.
 */
export function historyConsumer(deps: { db: Db; resolveTrack: TrackResolver; rule: PlayRule }): Consumer {
  const insert = lazy(() => preparedInsert(deps.db, listeningHistory))
  return {
    name: 'history',
    apply(_tx, batch) {
      const resolve = memoResolver(deps.resolveTrack)
      const rows: (typeof listeningHistory.$inferInsert)[] = []
      for (const e of batch) {
        const l = listenOf(e, resolve, deps.rule)
        if (!l?.counted) continue
        rows.push({
          userId: e.userId,
          trackId: l.trackId,
          deviceId: e.deviceId,
          playedAt: e.at,
          heardMs: l.heardMs,
          source: e.source,
          eventOffset: e.offset,
        })
      }
      insert()(rows)
    },
    reset(tx) {
      tx.delete(listeningHistory).run()
    },
  }
}
