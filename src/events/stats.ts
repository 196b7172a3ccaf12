import { and, asc, desc, eq, gte, inArray, lt, or, type SQL, sql, sum } from 'drizzle-orm'
import {
  listeningHistory,
  nowPlaying,
  playCounts,
  playCountsGlobal,
  playDaily,
  trackSkips,
  trendingHourly,
} from '../db/schema/index.ts'
import { invalid } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { dayOf, HOUR_MS, hourOf, isoDay } from './time.ts'

export const PERIODS = ['week', 'month', 'year', 'all'] as const
export type Period = (typeof PERIODS)[number]
export const WINDOWS = ['hour', 'day', 'week'] as const
export type Window = (typeof WINDOWS)[number]
export type Kind = 'track' | 'album' | 'artist'
/** `me`: one user's plays; `household`: everyone's summed (history stays private either way). */
export type Scope = { userId: number } | 'household'

const PERIOD_DAYS: Record<Exclude<Period, 'all'>, number> = { week: 7, month: 30, year: 365 }
const WINDOW_HOURS: Record<Window, number> = { hour: 1, day: 24, week: 168 }
/** How long a start with no known track length is assumed to still be playing. */
const NOW_PLAYING_FALLBACK_MS = 15 * 60_000
/** A paused player left alone this long has most likely been closed without saying so. */
const PAUSED_SHOWN_MS = 30 * 60_000

export interface TopItem {
  id: string
  plays: number
  heardMs: number
  lastPlayedAt: number | null
}

export interface HistoryEntry {
  trackId: string
  deviceId: string
  playedAt: number
  heardMs: number
  source: string
}

// A cursor is the sort key of the last entry returned; opaque to clients.
const encodeCursor = (e: { playedAt: number; id: number }) =>
  Buffer.from(`${e.playedAt}:${e.id}`).toString('base64url')
function decodeCursor(cursor: string): { playedAt: number; id: number } {
  const m = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!m) throw invalid('cursor: not a cursor this server returned', { field: 'cursor' })
  return { playedAt: Number(m[1]), id: Number(m[2]) }
}

export function createStats(deps: { db: Db; now: () => number }) {
  const { db, now } = deps
  /** The first UTC day inside a period ending today. */
  const since = (period: Exclude<Period, 'all'>) => dayOf(now()) - PERIOD_DAYS[period] + 1

  return {
    top(kind: Kind, period: Period, scope: Scope, limit = 50): TopItem[] {
      if (period === 'all') {
        const t = scope === 'household' ? playCountsGlobal : playCounts
        const where: SQL[] = [eq(t.kind, kind), sql`${t.plays} > 0`]
        if (scope !== 'household') where.push(eq(playCounts.userId, scope.userId))
        return db
          .select({ id: t.itemId, plays: t.plays, heardMs: t.heardMs, lastPlayedAt: t.lastPlayedAt })
          .from(t)
          .where(and(...where))
          .orderBy(desc(t.plays), desc(t.heardMs), asc(t.itemId))
          .limit(limit)
          .all()
      }
      const where: SQL[] = [eq(playDaily.kind, kind), gte(playDaily.day, since(period))]
      if (scope !== 'household') where.push(eq(playDaily.userId, scope.userId))
      const plays = sql<number>`sum(${playDaily.plays})`
      const heard = sql<number>`sum(${playDaily.heardMs})`
      return db
        .select({
          id: playDaily.itemId,
          plays,
          heardMs: heard,
          lastPlayedAt: sql<number | null>`max(${playDaily.lastPlayedAt})`,
        })
        .from(playDaily)
        .where(and(...where))
        .groupBy(playDaily.itemId)
        .having(sql`${plays} > 0`)
        .orderBy(desc(plays), desc(heard), asc(playDaily.itemId))
        .limit(limit)
        .all()
    },

    /** Plays and last play of these items for one user (all time); items never played are absent. */
    playsOf(
      kind: Kind,
      ids: readonly string[],
      userId: number,
    ): Map<string, { plays: number; lastPlayedAt: number | null }> {
      const out = new Map<string, { plays: number; lastPlayedAt: number | null }>()
      if (ids.length === 0) return out
      const rows = db
        .select({ id: playCounts.itemId, plays: playCounts.plays, lastPlayedAt: playCounts.lastPlayedAt })
        .from(playCounts)
        .where(
          and(eq(playCounts.userId, userId), eq(playCounts.kind, kind), inArray(playCounts.itemId, [...ids])),
        )
        .all()
      for (const r of rows) out.set(r.id, { plays: r.plays, lastPlayedAt: r.lastPlayedAt })
      return out
    },

    /** What was played last first (all time), e.g. "recently played albums". */
    recent(kind: Kind, scope: Scope, limit = 50): TopItem[] {
      const t = scope === 'household' ? playCountsGlobal : playCounts
      const where: SQL[] = [eq(t.kind, kind), sql`${t.plays} > 0`, sql`${t.lastPlayedAt} IS NOT NULL`]
      if (scope !== 'household') where.push(eq(playCounts.userId, scope.userId))
      return db
        .select({ id: t.itemId, plays: t.plays, heardMs: t.heardMs, lastPlayedAt: t.lastPlayedAt })
        .from(t)
        .where(and(...where))
        .orderBy(desc(t.lastPlayedAt), asc(t.itemId))
        .limit(limit)
        .all()
    },

    listeningTime(period: Period, scope: Scope) {
      const where: SQL[] = [eq(playDaily.kind, 'track')]
      if (period !== 'all') where.push(gte(playDaily.day, since(period)))
      if (scope !== 'household') where.push(eq(playDaily.userId, scope.userId))
      const days = db
        .select({
          day: playDaily.day,
          heardMs: sum(playDaily.heardMs).mapWith(Number),
          plays: sum(playDaily.plays).mapWith(Number),
        })
        .from(playDaily)
        .where(and(...where))
        .groupBy(playDaily.day)
        .orderBy(asc(playDaily.day))
        .all()
      return {
        heardMs: days.reduce((n, d) => n + d.heardMs, 0),
        plays: days.reduce((n, d) => n + d.plays, 0),
        days: days.map((d) => ({ day: isoDay(d.day), heardMs: d.heardMs, plays: d.plays })),
      }
    },

    history(userId: number, opts: { cursor?: string; limit?: number } = {}) {
      const limit = opts.limit ?? 50
      const h = listeningHistory
      const where: SQL[] = [eq(h.userId, userId)]
      if (opts.cursor) {
        const c = decodeCursor(opts.cursor)
        where.push(or(lt(h.playedAt, c.playedAt), and(eq(h.playedAt, c.playedAt), lt(h.id, c.id))) as SQL)
      }
      const rows = db
        .select()
        .from(h)
        .where(and(...where))
        .orderBy(desc(h.playedAt), desc(h.id))
        .limit(limit + 1)
        .all()
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        items: page.map(
          (r): HistoryEntry => ({
            trackId: r.trackId,
            deviceId: r.deviceId,
            playedAt: r.playedAt,
            heardMs: r.heardMs,
            source: r.source,
          }),
        ),
        nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
      }
    },

    /**
     * Household plays per track in the last hour, day or week, in whole hour buckets: the window
     * reaches back to the start of the hour it began in, so "hour" covers 60 to 120 minutes.
     */
    trending(window: Window, limit = 50) {
      const plays = sql<number>`sum(${trendingHourly.plays})`
      return db
        .select({ trackId: trendingHourly.trackId, plays })
        .from(trendingHourly)
        .where(gte(trendingHourly.hour, hourOf(now() - WINDOW_HOURS[window] * HOUR_MS)))
        .groupBy(trendingHourly.trackId)
        .orderBy(desc(plays), asc(trendingHourly.trackId))
        .limit(limit)
        .all()
    },

    /** Tracks the household skips most, with the skip rate (skips / starts). */
    skips(scope: Scope, limit = 50) {
      const starts = sql<number>`sum(${trackSkips.starts})`
      const skips = sql<number>`sum(${trackSkips.skips})`
      return db
        .select({ trackId: trackSkips.trackId, starts, skips, plays: sql<number>`sum(${trackSkips.plays})` })
        .from(trackSkips)
        .where(scope === 'household' ? undefined : eq(trackSkips.userId, scope.userId))
        .groupBy(trackSkips.trackId)
        .having(sql`${skips} > 0`)
        .orderBy(desc(sql`1.0 * ${skips} / max(${starts}, ${skips})`), desc(skips), asc(trackSkips.trackId))
        .limit(limit)
        .all()
        .map((r) => ({ ...r, skipRate: r.skips / Math.max(r.starts, r.skips) }))
    },

    /**
     * Every user's devices with a track they have not ended: playing with less than its length
     * played, or paused less than half an hour ago. Newest start first.
     */
    nowPlaying() {
      const t = now()
      return db
        .select()
        .from(nowPlaying)
        .where(lt(nowPlaying.startedAt, t + 1))
        .orderBy(desc(nowPlaying.startedAt))
        .all()
        .filter((r) =>
          r.pausedAt === null
            ? t < r.startedAt + (r.durationMs ?? NOW_PLAYING_FALLBACK_MS)
            : t < r.pausedAt + PAUSED_SHOWN_MS,
        )
        .map((r) => ({
          userId: r.userId,
          deviceId: r.deviceId,
          trackId: r.trackId,
          startedAt: r.startedAt,
          durationMs: r.durationMs,
          state: r.pausedAt === null ? ('playing' as const) : ('paused' as const),
          positionMs: (r.pausedAt ?? t) - r.startedAt,
        }))
    },
  }
}

export type Stats = ReturnType<typeof createStats>
