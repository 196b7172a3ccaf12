import { isNull } from 'drizzle-orm'
import { scrobbleAccounts, scrobbleQueue } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { isStart, listenOf, memoResolver, type PlayRule, type TrackResolver } from '../tracks.ts'
import { lazy, preparedInsert } from '../upsert.ts'
import type { Submission } from './services.ts'

/** How long a now-playing notice stays worth sending when the track length is unknown. */
const NOW_PLAYING_FALLBACK_MS = 10 * 60_000

/**
 * Turns counted plays (and starts, for "now playing") of users with a connected service into
 * queue rows, in the transaction that advances its checkpoint: each play is queued exactly once.
 * Delivery happens outside any transaction (see delivery.ts). It has neither a snapshot handler
 * nor a reset: replaying old plays would submit them again.
 */
export function scrobbleConsumer(deps: {
  db: Db
  resolveTrack: TrackResolver
  rule: PlayRule
  now: () => number
}): Consumer {
  const insert = lazy(() => preparedInsert(deps.db, scrobbleQueue))
  return {
    name: 'scrobble',
    apply(tx, batch) {
      const accounts = tx
        .select({
          userId: scrobbleAccounts.userId,
          service: scrobbleAccounts.service,
          since: scrobbleAccounts.connectedAt,
        })
        .from(scrobbleAccounts)
        .where(isNull(scrobbleAccounts.disabledReason))
        .all()
      if (accounts.length === 0) return
      const resolve = memoResolver(deps.resolveTrack)
      const now = deps.now()
      const rows: (typeof scrobbleQueue.$inferInsert)[] = []
      for (const e of batch) {
        const targets = accounts.filter((a) => a.userId === e.userId && a.since <= e.receivedAt)
        if (targets.length === 0 || !e.trackId) continue
        const listen = listenOf(e, resolve, deps.rule)
        const start = isStart(e)
        if (!listen?.counted && !start) continue
        // Without the catalog's artist and title there is nothing a service would accept.
        const track = resolve(e.trackId)
        if (!track) continue
        const item: Submission = {
          artist: track.artist,
          title: track.title,
          album: track.album || null,
          durationMs: track.durationMs,
          startedAt: listen?.startedAt ?? e.at,
        }
        const expiresAt = start ? e.at + (track.durationMs || NOW_PLAYING_FALLBACK_MS) : null
        if (expiresAt !== null && expiresAt <= now) continue
        for (const a of targets)
          rows.push({
            userId: e.userId,
            service: a.service,
            kind: start ? 'now_playing' : 'listen',
            eventOffset: e.offset,
            payload: JSON.stringify(item),
            nextAttemptAt: now,
            expiresAt,
            createdAt: now,
          })
      }
      insert()(rows)
    },
  }
}
