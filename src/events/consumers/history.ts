import { listeningHistory } from '../../db/schema/index.ts'
import type { Consumer } from '../consumer.ts'
import { listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { insertAll } from '../upsert.ts'

/**
 * One history entry per counted play. It has no snapshot handler on purpose: compaction keeps
 * counts per day, not individual plays, so a history rebuilt after compaction starts at the
 * compaction watermark. The running consumer's own table is never compacted.
 */
export function historyConsumer(deps: { resolveTrack: TrackResolver; rule: PlayRule }): Consumer {
  return {
    name: 'history',
    apply(tx, batch) {
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
      insertAll(tx, listeningHistory, rows)
    },
    reset(tx) {
      tx.delete(listeningHistory).run()
    },
  }
}
