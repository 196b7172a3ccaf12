import { and, asc, gt, gte, inArray, lte } from 'drizzle-orm'
import { eventAggregates, eventConsumers, events } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import { head, setWatermark, toLogged, watermark } from './log.ts'
import { dayOf } from './time.ts'
import { isStart, listenOf, memoResolver, type PlayRule, type TrackResolver } from './tracks.ts'
import { greatest, keyed, newer, preparedUpsert, sum } from './upsert.ts'

type Aggregate = typeof eventAggregates.$inferInsert

export interface CompactionResult {
  /** Raw events folded into aggregates and deleted. */
  compacted: number
  /** Every event at or below this offset now lives only in the aggregates. */
  watermark: number
}

/**
 * Folds the oldest raw events into per user × track × day aggregates and deletes them. Only a
 * prefix of the log is compacted: events older than `cutoff` (by receive time) that every listed
 * consumer has already applied. A consumer that later starts below the watermark reads the
 * aggregates first (Consumer.applySnapshot) and the raw events after it, and reaches the same
 * counts as one that saw every raw event. Works in chunks so ingestion is never held up for long.
 */
export function compact(
  db: Db,
  opts: {
    consumers: readonly string[]
    cutoff: number
    resolveTrack: TrackResolver
    rule: PlayRule
    chunk?: number
  },
): CompactionResult {
  const chunk = opts.chunk ?? 5000
  let compacted = 0
  for (;;) {
    const step = db.transaction(
      (tx) => {
        const from = watermark(tx)
        // A consumer without a row has not started, and so has passed nothing.
        const checkpoints = tx
          .select({ c: eventConsumers.checkpoint })
          .from(eventConsumers)
          .where(inArray(eventConsumers.name, [...opts.consumers]))
          .all()
        const everyone =
          checkpoints.length < opts.consumers.length ? 0 : Math.min(...checkpoints.map((r) => r.c), head(tx))
        const firstRecent = tx
          .select({ o: events.offset })
          .from(events)
          .where(and(gt(events.offset, from), gte(events.receivedAt, opts.cutoff)))
          .orderBy(asc(events.offset))
          .limit(1)
          .get()?.o
        const to = Math.min(everyone, firstRecent === undefined ? head(tx) : firstRecent - 1, from + chunk)
        if (to <= from) return { n: 0, to: from, advanced: false }
        const rows = tx
          .select()
          .from(events)
          .where(and(gt(events.offset, from), lte(events.offset, to)))
          .orderBy(asc(events.offset))
          .all()
        fold(tx, rows.map(toLogged), opts.resolveTrack, opts.rule)
        tx.delete(events).where(lte(events.offset, to)).run()
        setWatermark(tx, to)
        return { n: rows.length, to, advanced: true }
      },
      { behavior: 'immediate' },
    )
    compacted += step.n
    if (!step.advanced) return { compacted, watermark: step.to }
  }
}

function fold(
  tx: Db,
  batch: ReturnType<typeof toLogged>[],
  resolveTrack: TrackResolver,
  rule: PlayRule,
): void {
  const resolve = memoResolver(resolveTrack)
  const acc = keyed<Aggregate>()
  for (const e of batch) {
    if (!e.trackId) continue
    const day = dayOf(e.at)
    const a = acc.get(`${e.userId}\0${e.trackId}\0${day}`, () => ({
      userId: e.userId,
      trackId: e.trackId as string,
      day,
      starts: 0,
      plays: 0,
      heardMs: 0,
      skips: 0,
      lastPlayedAt: null,
      liked: null,
      likedAt: null,
      rating: null,
      ratedAt: null,
    }))
    const listen = listenOf(e, resolve, rule)
    if (listen) {
      a.heardMs = (a.heardMs ?? 0) + listen.heardMs
      if (listen.counted) {
        a.plays = (a.plays ?? 0) + 1
        a.lastPlayedAt = Math.max(a.lastPlayedAt ?? e.at, e.at)
      }
    } else if (isStart(e)) a.starts = (a.starts ?? 0) + 1
    else if (e.type === 'skip') a.skips = (a.skips ?? 0) + 1
    else if ((e.type === 'like' || e.type === 'unlike') && (a.likedAt == null || e.at >= a.likedAt)) {
      a.liked = e.type === 'like'
      a.likedAt = e.at
    } else if (e.type === 'rate' && (a.ratedAt == null || e.at >= a.ratedAt)) {
      a.rating = e.rating
      a.ratedAt = e.at
    }
  }
  const t = eventAggregates
  preparedUpsert(tx, t, [t.userId, t.trackId, t.day], {
    starts: sum(t.starts),
    plays: sum(t.plays),
    heardMs: sum(t.heardMs),
    skips: sum(t.skips),
    lastPlayedAt: greatest(t.lastPlayedAt),
    liked: newer(t.liked, t.likedAt),
    likedAt: newer(t.likedAt, t.likedAt),
    rating: newer(t.rating, t.ratedAt),
    ratedAt: newer(t.ratedAt, t.ratedAt),
  })(acc.rows())
}
