import { sql } from 'drizzle-orm'
import {
  type AggregateRow,
  type Consumer,
  type LoggedEvent,
  listenOf,
  memoResolver,
  type PlayRule,
  type TrackResolver,
} from '../events/index.ts'
import type { Db } from '../platform/sqlite.ts'

// The item-to-item graph of collaborative filtering, learned from the listening log: two tracks a
// listener heard one after the other are related, more so the closer together. This is the
// session-based co-occurrence large services start from; a household of a few people has too few
// listeners for user-to-user similarity, but every listening session is evidence.

/** Plays further apart than this are different sessions and pair with nothing. */
export const SESSION_GAP_MS = 2 * 60 * 60 * 1000
/** How many earlier plays of the same session a play pairs with; weight 1/distance. */
export const PAIR_DEPTH = 4
/** Same-day plays kept only as compacted daily counts pair more weakly: their order is lost. */
const SNAPSHOT_WEIGHT = 0.25
/** A day of compacted counts pairs at most this many tracks (n² pairs). */
const SNAPSHOT_MAX_TRACKS = 30

interface Play {
  userId: number
  trackId: string
  at: number
  seq: number
}

export function coListensConsumer(deps: { db: Db; resolveTrack: TrackResolver; rule: PlayRule }): Consumer {
  const { db } = deps

  function addPairs(pairs: Map<string, { a: string; b: string; w: number; at: number }>) {
    for (const { a, b, w, at } of pairs.values())
      for (const [x, y] of [
        [a, b],
        [b, a],
      ])
        db.run(sql`INSERT INTO co_listens (track_id, other_id, weight, last_at) VALUES (${x}, ${y}, ${w}, ${at})
          ON CONFLICT (track_id, other_id) DO UPDATE SET weight = weight + excluded.weight,
            last_at = max(last_at, excluded.last_at)`)
  }

  function pair(
    pairs: Map<string, { a: string; b: string; w: number; at: number }>,
    a: string,
    b: string,
    w: number,
    at: number,
  ) {
    if (a === b) return
    const [x, y] = a < b ? [a, b] : [b, a]
    const key = `${x}\0${y}`
    const p = pairs.get(key)
    if (p) {
      p.w += w
      p.at = Math.max(p.at, at)
    } else pairs.set(key, { a: x, b: y, w, at })
  }

  /** The user's latest plays before this batch, oldest first. */
  function recent(userId: number): Play[] {
    return db
      .all<{ track_id: string; played_at: number; seq: number }>(
        sql`SELECT track_id, played_at, seq FROM co_listen_recent WHERE user_id = ${userId}
          ORDER BY seq DESC LIMIT ${PAIR_DEPTH}`,
      )
      .reverse()
      .map((r) => ({ userId, trackId: r.track_id, at: r.played_at, seq: r.seq }))
  }

  return {
    name: 'co-listens',
    apply(_tx, batch: readonly LoggedEvent[]) {
      const resolve = memoResolver(deps.resolveTrack)
      const sessions = new Map<number, Play[]>()
      const pairs = new Map<string, { a: string; b: string; w: number; at: number }>()
      for (const e of batch) {
        const l = listenOf(e, resolve, deps.rule)
        if (!l?.counted) continue
        let seen = sessions.get(e.userId)
        if (!seen) {
          seen = recent(e.userId)
          sessions.set(e.userId, seen)
        }
        // A play pairs with the listener's last few plays in log order (the same ones whichever
        // batch they came in, so the graph depends only on the log), and only with those heard
        // in the same session: an offline phone replaying yesterday relates nothing to today.
        const play = { userId: e.userId, trackId: l.trackId, at: e.at, seq: e.offset }
        const last = seen.slice(-PAIR_DEPTH)
        for (const [i, p] of last.entries())
          if (Math.abs(play.at - p.at) <= SESSION_GAP_MS)
            pair(pairs, p.trackId, play.trackId, 1 / (last.length - i), play.at)
        seen.push(play)
      }
      addPairs(pairs)
      for (const [userId, plays] of sessions) {
        for (const p of plays.slice(-PAIR_DEPTH))
          db.run(sql`INSERT OR REPLACE INTO co_listen_recent (user_id, track_id, played_at, seq)
            VALUES (${userId}, ${p.trackId}, ${p.at}, ${p.seq})`)
        db.run(sql`DELETE FROM co_listen_recent WHERE user_id = ${userId} AND seq NOT IN
          (SELECT seq FROM co_listen_recent WHERE user_id = ${userId} ORDER BY seq DESC LIMIT ${PAIR_DEPTH})`)
      }
    },
    applySnapshot(_tx, rows: readonly AggregateRow[]) {
      const days = new Map<string, AggregateRow[]>()
      for (const r of rows) {
        if (r.plays <= 0) continue
        const key = `${r.userId}\0${r.day}`
        days.set(key, [...(days.get(key) ?? []), r])
      }
      const pairs = new Map<string, { a: string; b: string; w: number; at: number }>()
      for (const day of days.values()) {
        const top = day.sort((x, y) => y.plays - x.plays).slice(0, SNAPSHOT_MAX_TRACKS)
        for (let i = 0; i < top.length; i++)
          for (let j = i + 1; j < top.length; j++) {
            const a = top[i] as AggregateRow
            const b = top[j] as AggregateRow
            pair(
              pairs,
              a.trackId,
              b.trackId,
              SNAPSHOT_WEIGHT,
              Math.max(a.lastPlayedAt ?? 0, b.lastPlayedAt ?? 0),
            )
          }
      }
      addPairs(pairs)
    },
    reset(tx) {
      tx.run(sql`DELETE FROM co_listens`)
      tx.run(sql`DELETE FROM co_listen_recent`)
    },
  }
}
