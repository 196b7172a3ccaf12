import { eq, sql } from 'drizzle-orm'
import type { Song, SongQuery, TrackSummary } from '../catalog/index.ts'
import { dailyMixes } from '../db/schema/index.ts'
import { invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { type Ranked, rankRelated } from './rank.ts'

// Recommendations for one listener, from the household's listening: "more like this" for a track,
// radio from a track, album or artist, and the home page's mixes.

export interface Viewer {
  userId: number
  folderIds: readonly number[] | undefined
}

export type Seed = { kind: 'track' | 'album' | 'artist'; id: number }

export interface Recommended extends TrackSummary {
  because: Ranked['because']
}

export interface Mix {
  id: 'for-you' | 'household' | 'rediscover'
  name: string
  description: string
  tracks: TrackSummary[]
}

export interface RecommendDeps {
  db: Db
  trackSummaries: (ids: readonly number[], folderIds?: readonly number[]) => Map<number, TrackSummary>
  listSongs: (q: SongQuery) => Song[]
  now?: () => number
  /** The listening share of a score (rank.ts LISTENING_SHARE when absent). */
  listeningShare?: number
}

export const MAX_RECOMMENDED = 100
const DAY_MS = 86_400_000
/** One artist may fill at most this many places of a list before others get a turn. */
const PER_ARTIST = 3

/** The server's local date: a mix lasts the household's day, not UTC's. */
function localDay(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`
}

/**
 * The visible ones among ranked ids, best first, at most PER_ARTIST per artist while others
 * remain: a list of ten by one artist is an artist page, not a recommendation.
 */
function pick<T extends { id: number }>(
  ranked: readonly T[],
  summaries: Map<number, TrackSummary>,
  limit: number,
): (TrackSummary & Omit<T, 'id'>)[] {
  const first: (TrackSummary & Omit<T, 'id'>)[] = []
  const rest: (TrackSummary & Omit<T, 'id'>)[] = []
  const perArtist = new Map<string, number>()
  for (const r of ranked) {
    const s = summaries.get(r.id)
    if (!s) continue
    const n = perArtist.get(s.artist) ?? 0
    perArtist.set(s.artist, n + 1)
    ;(n < PER_ARTIST ? first : rest).push({ ...r, ...s })
  }
  return [...first, ...rest].slice(0, limit)
}

export function createRecommender(deps: RecommendDeps) {
  const { db } = deps
  const now = deps.now ?? Date.now

  function checkLimit(limit: number): void {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECOMMENDED)
      throw invalid(`limit: must be a whole number from 1 to ${MAX_RECOMMENDED}`, { field: 'limit' })
  }

  function related(
    viewer: Viewer,
    seeds: number[],
    limit: number,
    exclude?: ReadonlySet<number>,
  ): Recommended[] {
    const ranked = rankRelated(db, seeds, { ...viewer, exclude, listeningShare: deps.listeningShare })
    const summaries = deps.trackSummaries(
      ranked.slice(0, limit * 4).map((r) => r.id),
      viewer.folderIds,
    )
    return pick(ranked, summaries, limit).map(({ score: _, ...t }) => t)
  }

  /** The seed's tracks the viewer may see: a track itself, an album's, an artist's (at most 25). */
  function seedTracks(viewer: Viewer, seed: Seed): number[] {
    const folderIds = viewer.folderIds
    if (seed.kind === 'track') return deps.trackSummaries([seed.id], folderIds).has(seed.id) ? [seed.id] : []
    const songs = deps.listSongs(
      seed.kind === 'album'
        ? { albumId: seed.id, folderIds, limit: 100 }
        : { artistId: seed.id, folderIds, limit: 25, order: 'album' },
    )
    return songs.map((s) => s.id)
  }

  /** Tracks the viewer heard in the last `days` days. */
  function heardWithin(userId: number, days: number): Set<number> {
    const since = now() - days * DAY_MS
    return new Set(
      db
        .all<{ id: string }>(
          sql`SELECT DISTINCT track_id AS id FROM listening_history WHERE user_id = ${userId} AND played_at >= ${since}`,
        )
        .map((r) => Number(r.id)),
    )
  }

  function ids(rows: { id: string }[]): number[] {
    return rows.map((r) => Number(r.id)).filter((id) => Number.isSafeInteger(id) && id > 0)
  }

  /** Built from what the viewer played most this month and liked: their taste, minus the last two days. */
  function forYou(viewer: Viewer): TrackSummary[] {
    const since = Math.floor((now() - 30 * DAY_MS) / DAY_MS)
    const seeds = new Set([
      ...ids(
        db.all(sql`SELECT item_id AS id FROM play_daily WHERE user_id = ${viewer.userId} AND kind = 'track'
          AND day >= ${since} GROUP BY item_id ORDER BY sum(plays) DESC LIMIT 15`),
      ),
      ...ids(
        db.all(sql`SELECT track_id AS id FROM track_feedback WHERE user_id = ${viewer.userId} AND liked = 1
          ORDER BY liked_at DESC LIMIT 15`),
      ),
    ])
    if (seeds.size === 0) return []
    return related(viewer, [...seeds], 40, heardWithin(viewer.userId, 2))
  }

  /** A mix of these tracks in this order: the visible ones, diversified by artist. */
  function listOf(viewer: Viewer, ordered: number[]): TrackSummary[] {
    const summaries = deps.trackSummaries(ordered, viewer.folderIds)
    return pick(
      ordered.map((id) => ({ id })),
      summaries,
      40,
    )
  }

  /** What the rest of the household played this month and the viewer never has. */
  function household(viewer: Viewer): TrackSummary[] {
    const since = Math.floor((now() - 30 * DAY_MS) / DAY_MS)
    const top = db.all<{ id: string; plays: number }>(
      sql`SELECT d.item_id AS id, sum(d.plays) AS plays FROM play_daily d
        WHERE d.kind = 'track' AND d.day >= ${since} AND d.user_id != ${viewer.userId}
          AND NOT EXISTS (SELECT 1 FROM play_counts p WHERE p.user_id = ${viewer.userId} AND p.kind = 'track'
            AND p.item_id = d.item_id)
        GROUP BY d.item_id ORDER BY plays DESC, d.item_id LIMIT 200`,
    )
    return listOf(viewer, ids(top))
  }

  /** The viewer's old favourites: played often, not in two months. */
  function rediscover(viewer: Viewer): TrackSummary[] {
    const before = now() - 60 * DAY_MS
    return listOf(
      viewer,
      ids(
        db.all(sql`SELECT item_id AS id FROM play_counts WHERE user_id = ${viewer.userId} AND kind = 'track'
          AND plays >= 3 AND last_played_at < ${before} ORDER BY plays DESC, item_id LIMIT 200`),
      ),
    )
  }

  const MIXES: (Omit<Mix, 'tracks'> & { make: (viewer: Viewer) => TrackSummary[] })[] = [
    { id: 'for-you', name: 'Your mix', description: 'More of what you play and like', make: forYou },
    {
      id: 'household',
      name: 'From the household',
      description: 'What the others play that you have not heard',
      make: household,
    },
    {
      id: 'rediscover',
      name: 'Rediscover',
      description: 'Old favourites you have not played in two months',
      make: rediscover,
    },
  ]

  return {
    /** Tracks like this one (404 when the viewer may not see it). */
    similar(viewer: Viewer, trackId: number, limit = 20): Recommended[] {
      checkLimit(limit)
      if (!deps.trackSummaries([trackId], viewer.folderIds).has(trackId)) throw notFound(`track ${trackId}`)
      return related(viewer, [trackId], limit)
    },

    /**
     * A station. From a track: the track, then what is like it. From an album or an artist: its
     * own tracks taking turns with related ones, so the station is recognisably "theirs" and still
     * travels — and is never empty for an artist nobody has listened around yet.
     */
    radio(viewer: Viewer, seed: Seed, limit = 50): TrackSummary[] {
      checkLimit(limit)
      const seeds = seedTracks(viewer, seed)
      if (seeds.length === 0) throw notFound(`${seed.kind} ${seed.id}`)
      const own = [...deps.trackSummaries(seeds, viewer.folderIds).values()]
      const rest = related(viewer, seeds, limit)
      if (seed.kind === 'track') return [...own, ...rest].slice(0, limit)
      const station: TrackSummary[] = []
      for (let i = 0; station.length < limit && (i < own.length || i < rest.length); i++) {
        const mine = own[i]
        const theirs = rest[i]
        if (mine) station.push(mine)
        if (theirs && station.length < limit) station.push(theirs)
      }
      return station
    },

    /**
     * The home page's mixes, made at the listener's first look of the day and kept until the next
     * day, so a mix does not change while it plays (each play would otherwise reshape "Your mix").
     * Kept as ids: a track gone since, or out of a folder grant, drops out when read. A mix with
     * nothing to offer is left out, and made again at the next look.
     */
    mixes(viewer: Viewer): Mix[] {
      const day = localDay(now())
      const folders =
        viewer.folderIds === undefined ? '*' : JSON.stringify([...viewer.folderIds].sort((a, b) => a - b))
      const kept = new Map(
        db
          .select()
          .from(dailyMixes)
          .where(eq(dailyMixes.userId, viewer.userId))
          .all()
          .filter((r) => r.day === day && r.folders === folders)
          .map((r) => [r.mixId, JSON.parse(r.trackIds) as number[]]),
      )
      const out: Mix[] = []
      for (const { make, ...mix } of MIXES) {
        let ids = kept.get(mix.id)
        if (!ids) {
          ids = make(viewer).map((t) => t.id)
          if (ids.length > 0) {
            const row = { day, folders, trackIds: JSON.stringify(ids) }
            db.insert(dailyMixes)
              .values({ userId: viewer.userId, mixId: mix.id, ...row })
              .onConflictDoUpdate({ target: [dailyMixes.userId, dailyMixes.mixId], set: row })
              .run()
          }
        }
        const summaries = deps.trackSummaries(ids, viewer.folderIds)
        const tracks = ids.flatMap((id) => summaries.get(id) ?? [])
        if (tracks.length > 0) out.push({ ...mix, tracks })
      }
      return out
    },
  }
}

export type Recommender = ReturnType<typeof createRecommender>
