import { trackFeedback } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { Consumer } from '../consumer.ts'
import { keyed, lazy, newer, preparedUpsert } from '../upsert.ts'

type Row = typeof trackFeedback.$inferInsert

/**
 * The latest like and rating per user and track. "Latest" is by when the user acted, not when the
 * server heard of it, so a phone replaying an offline buffer cannot undo a newer like.
 */
export function feedbackConsumer(deps: { db: Db }): Consumer {
  const write = lazy(() =>
    preparedUpsert(deps.db, trackFeedback, [trackFeedback.userId, trackFeedback.trackId], {
      liked: newer(trackFeedback.liked, trackFeedback.likedAt),
      likedAt: newer(trackFeedback.likedAt, trackFeedback.likedAt),
      rating: newer(trackFeedback.rating, trackFeedback.ratedAt),
      ratedAt: newer(trackFeedback.ratedAt, trackFeedback.ratedAt),
    }),
  )
  const fold = (
    r: Row,
    liked: boolean | null,
    likedAt: number | null,
    rating: number | null,
    ratedAt: number | null,
  ) => {
    if (likedAt !== null && (r.likedAt == null || likedAt >= r.likedAt)) {
      r.liked = liked
      r.likedAt = likedAt
    }
    if (ratedAt !== null && (r.ratedAt == null || ratedAt >= r.ratedAt)) {
      r.rating = rating
      r.ratedAt = ratedAt
    }
  }
  return {
    name: 'feedback',
    apply(_tx, batch) {
      const acc = keyed<Row>()
      for (const e of batch) {
        if (e.type !== 'like' && e.type !== 'unlike' && e.type !== 'rate') continue
        const r = acc.get(`${e.userId}\0${e.trackId}`, () => ({ userId: e.userId, trackId: e.trackId }))
        if (e.type === 'rate') fold(r, null, null, e.rating, e.at)
        else fold(r, e.type === 'like', e.at, null, null)
      }
      write()(acc.rows())
    },
    applySnapshot(_tx, rows) {
      const acc = keyed<Row>()
      for (const a of rows) {
        if (a.likedAt === null && a.ratedAt === null) continue
        const r = acc.get(`${a.userId}\0${a.trackId}`, () => ({ userId: a.userId, trackId: a.trackId }))
        fold(r, a.liked, a.likedAt, a.rating, a.ratedAt)
      }
      write()(acc.rows())
    },
    reset(tx) {
      tx.delete(trackFeedback).run()
    },
  }
}
