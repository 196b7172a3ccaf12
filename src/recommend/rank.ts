import { sql } from 'drizzle-orm'
import type { Db } from '../platform/sqlite.ts'
import { contentCandidates, type Features, featuresOf } from './features.ts'

// Ranking "more like these": listening together first (what the household's sessions relate),
// shared artists, genres and era second, and the viewer's own likes and skips last.

/**
 * How much of a score is listening evidence; the rest is content. `npm run bench -- recommend`
 * measures the choice against the others on held-out listening.
 */
export const LISTENING_SHARE = 0.65
/** Neighbours read from the graph per request. */
const GRAPH_FANOUT = 500

export interface RankOptions {
  userId: number
  folderIds: readonly number[] | undefined
  /** Tracks never to return besides the seeds (e.g. heard in the last days). */
  exclude?: ReadonlySet<number>
  /** LISTENING_SHARE unless given (the benchmark compares shares). */
  listeningShare?: number
}

export interface Ranked {
  id: number
  score: number
  /** The strongest reason, for the UI ("Often played with …", "Same artist"). */
  because: 'listened-together' | 'same-artist' | 'same-genre' | 'same-era'
}

/**
 * Related tracks by listening: co-listen weight over the square root of the neighbour's total
 * weight, so a track everybody plays after everything (a household hit) does not top every list —
 * the cosine normalisation of item-to-item filtering. Scaled to [0, 1].
 */
function listened(db: Db, seeds: readonly number[]): Map<number, number> {
  const rows = db.all<{ id: string; w: number }>(
    sql`SELECT other_id AS id, sum(weight) AS w FROM co_listens
      WHERE track_id IN (SELECT CAST(value AS TEXT) FROM json_each(${JSON.stringify(seeds)}))
      GROUP BY other_id ORDER BY w DESC LIMIT ${GRAPH_FANOUT}`,
  )
  if (rows.length === 0) return new Map()
  const degree = new Map(
    db
      .all<{ id: string; d: number }>(
        sql`SELECT track_id AS id, sum(weight) AS d FROM co_listens
          WHERE track_id IN (SELECT value FROM json_each(${JSON.stringify(rows.map((r) => r.id))}))
          GROUP BY track_id`,
      )
      .map((r) => [r.id, r.d]),
  )
  const raw = rows.map((r) => [Number(r.id), r.w / Math.sqrt(degree.get(r.id) ?? r.w)] as const)
  const top = Math.max(...raw.map(([, s]) => s))
  return new Map(raw.map(([id, s]) => [id, s / top]))
}

/** The viewer's verdicts: liked or rated high lifts, rated low or usually skipped removes. */
function verdicts(db: Db, userId: number, ids: readonly number[]): Map<number, number | 'never'> {
  const out = new Map<number, number | 'never'>()
  const list = JSON.stringify(ids.map(String))
  for (const r of db.all<{ id: string; liked: number | null; rating: number | null }>(
    sql`SELECT track_id AS id, liked, rating FROM track_feedback
      WHERE user_id = ${userId} AND track_id IN (SELECT value FROM json_each(${list}))`,
  )) {
    if (r.rating !== null && r.rating > 0 && r.rating <= 2) out.set(Number(r.id), 'never')
    else out.set(Number(r.id), (r.liked ? 0.15 : 0) + (r.rating !== null && r.rating >= 4 ? 0.1 : 0))
  }
  for (const r of db.all<{ id: string }>(
    sql`SELECT track_id AS id FROM track_skips WHERE user_id = ${userId}
      AND track_id IN (SELECT value FROM json_each(${list})) AND starts >= 3 AND skips * 2 >= starts`,
  ))
    out.set(Number(r.id), 'never')
  return out
}

function content(
  c: Features,
  seeds: { artists: Set<number>; genres: Set<number>; albums: Set<number>; years: number[] },
) {
  const artist = c.artists.some((a) => seeds.artists.has(a)) ? 1 : 0
  const genre = c.genres.length > 0 ? c.genres.filter((g) => seeds.genres.has(g)).length / c.genres.length : 0
  const era = c.year !== null && seeds.years.some((y) => Math.abs(y - (c.year as number)) <= 5) ? 1 : 0
  // Staying on the seeds' own album is what the album view is for; "more like this" should travel.
  const sameAlbum = seeds.albums.has(c.albumId) ? 0.6 : 1
  const score = (0.5 * artist + 0.35 * genre + 0.15 * era) * sameAlbum
  const because: Ranked['because'] = artist ? 'same-artist' : genre ? 'same-genre' : 'same-era'
  return { score, because }
}

/** Tracks related to the seeds, best first; the caller filters by visibility and diversifies. */
export function rankRelated(db: Db, seeds: readonly number[], o: RankOptions): Ranked[] {
  const seedFeatures = [...featuresOf(db, seeds).values()]
  const pool = {
    artists: new Set(seedFeatures.flatMap((f) => f.artists)),
    genres: new Set(seedFeatures.flatMap((f) => f.genres)),
    albums: new Set(seedFeatures.map((f) => f.albumId)),
    years: seedFeatures.flatMap((f) => (f.year === null ? [] : [f.year])),
  }
  const graph = listened(db, seeds)
  const candidates = [...new Set([...graph.keys(), ...contentCandidates(db, pool, o.folderIds)])].filter(
    (id) => !seeds.includes(id) && !o.exclude?.has(id),
  )
  const features = featuresOf(db, candidates)
  const personal = verdicts(db, o.userId, candidates)
  const out: Ranked[] = []
  for (const id of candidates) {
    const f = features.get(id)
    const verdict = personal.get(id)
    if (!f || verdict === 'never') continue
    const c = content(f, pool)
    const l = graph.get(id) ?? 0
    const share = o.listeningShare ?? LISTENING_SHARE
    const score = share * l + (1 - share) * c.score + (verdict ?? 0)
    if (score <= 0) continue
    out.push({ id, score, because: l >= c.score && l > 0 ? 'listened-together' : c.because })
  }
  return out.sort((a, b) => b.score - a.score || a.id - b.id)
}
