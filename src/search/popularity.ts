import { sql } from 'drizzle-orm'
import type { Db } from '../platform/sqlite.ts'
import type { SearchKind } from './documents.ts'

// Play counts as a ranking boost, read from the tables the events pipeline's `plays` consumer
// keeps (play_counts_global for the household, play_counts per user). The household counts are
// held in memory and re-read on a timer; a user's own counts are read when they search and kept
// for a minute, so a search never waits on more than one small indexed query.

export type Counts = Map<SearchKind, Map<number, number>>

const USER_TTL_MS = 60_000
const MAX_USERS = 64

function load(db: Db, where: ReturnType<typeof sql>, table: ReturnType<typeof sql>): Counts {
  const out: Counts = new Map([
    ['artist', new Map()],
    ['album', new Map()],
    ['track', new Map()],
  ])
  for (const r of db.all<{ kind: SearchKind; item_id: string; plays: number }>(
    sql`SELECT kind, item_id, plays FROM ${table} WHERE ${where}`,
  ))
    out.get(r.kind)?.set(Number(r.item_id), r.plays)
  return out
}

/** A score factor from 1 (never played) rising smoothly towards 1.5: it orders equals, never overturns a better match. */
export function boostOf(householdPlays: number, ownPlays: number): number {
  const x = Math.log1p(householdPlays) / 3 + Math.log1p(ownPlays) / 1.5
  return 1 + (0.5 * x) / (1 + x)
}

export function createPopularity(db: Db) {
  let household: Counts = load(db, sql`1`, sql`play_counts_global`)
  let version = 0
  const users = new Map<number, { at: number; counts: Counts }>()

  function ofUser(userId: number): Counts {
    const cached = users.get(userId)
    if (cached && Date.now() - cached.at < USER_TTL_MS) return cached.counts
    const counts = load(db, sql`user_id = ${userId}`, sql`play_counts`)
    users.delete(userId)
    if (users.size >= MAX_USERS) users.delete(users.keys().next().value as number)
    users.set(userId, { at: Date.now(), counts })
    return counts
  }

  return {
    /** Changes whenever the household counts were re-read, so orderings cached by them are redone. */
    version: () => version,
    household: (kind: SearchKind, id: number) => household.get(kind)?.get(id) ?? 0,
    /** The boost of each item of a kind for this user (or the household alone). */
    booster(kind: SearchKind, userId?: number): (id: number) => number {
      const all = household.get(kind) as Map<number, number>
      const own = userId === undefined ? undefined : ofUser(userId).get(kind)
      return (id) => boostOf(all.get(id) ?? 0, own?.get(id) ?? 0)
    },
    refresh(): void {
      household = load(db, sql`1`, sql`play_counts_global`)
      users.clear()
      version++
    },
  }
}

export type Popularity = ReturnType<typeof createPopularity>
