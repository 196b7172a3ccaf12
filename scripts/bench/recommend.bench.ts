// Recommendation quality, measured offline the way the field measures it: a household's listening
// is split by time, the recommender learns from the earlier part, and for every track played in the
// held-out later sessions "more like this" (top 20) is asked whether it holds the track played
// next. The same question is put in the same run to the household's most played tracks (the usual
// baseline), to tags alone (the recommender before any listening) and to chance.
//
// The household is synthetic, with a taste structure the tags only half show: a "scene" is a
// handful of artists the household hears together, spread over two genres that other scenes share
// too. A recommender that learns from listening should find scenes; tags alone cannot tell apart
// two scenes with the same genres.
import type { Principal } from '../../src/accounts/index.ts'
import type { EventInput } from '../../src/events/index.ts'
import { listen } from '../../src/events/test-support.ts'
import { signedIn } from '../../src/playlists/testing.ts'
import { LISTENING_SHARE } from '../../src/recommend/rank.ts'
import { createRecommender } from '../../src/recommend/recommend.ts'
import { type CatalogAlbum, recommendApp } from '../../src/recommend/testing.ts'
import { against, emit, result } from './lib.ts'

const SCENES = 12
const ARTISTS_PER_SCENE = 5
const ALBUMS_PER_ARTIST = 2
const TRACKS_PER_ALBUM = 8
const GENRES = ['Jazz', 'Rock', 'Electronic', 'Folk', 'Soul', 'Classical']
const LISTENERS = 4
const SCENES_PER_LISTENER = 3
const DAYS = 60
const SESSIONS_PER_DAY = 2
const HELD_OUT_SESSIONS = 12
/** Listening shares of the score compared with the one the server uses. */
const SHARES = [0.35, 0.5, 0.65, 0.8, 0.95]
const K = 20
const DAY = 86_400_000

// A seeded generator (mulberry32), so every run measures the same household.
let state = 20261126
function random(): number {
  state = (state + 0x6d2b79f5) | 0
  let t = Math.imul(state ^ (state >>> 15), 1 | state)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
/** A favourite-heavy choice: the first items far more often than the last (Zipf-like). */
const skewed = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * random() ** 2.5)] as T

const catalog: CatalogAlbum[] = []
const sceneTracks: string[][][] = [] // scene → artist → titles
for (let s = 0; s < SCENES; s++) {
  const genres = [GENRES[s % GENRES.length], GENRES[(s + 1) % GENRES.length]] as string[]
  const artists: string[][] = []
  for (let a = 0; a < ARTISTS_PER_SCENE; a++) {
    const titles: string[] = []
    for (let b = 0; b < ALBUMS_PER_ARTIST; b++) {
      const album = Array.from({ length: TRACKS_PER_ALBUM }, (_, i) => `s${s}a${a}b${b}t${i}`)
      catalog.push({
        folderId: 1,
        artist: `Artist ${s}-${a}`,
        album: `Album ${s}-${a}-${b}`,
        genre: genres[a % 2] as string,
        year: 1960 + ((s * 7) % 50) + b,
        titles: album,
      })
      titles.push(...album)
    }
    // Each artist's favourites: a fixed shuffle, so "skewed" favours the same few tracks.
    artists.push(titles.sort(() => random() - 0.5))
  }
  sceneTracks.push(artists)
}

const TRACKS = catalog.length * TRACKS_PER_ALBUM
process.stderr.write(`recommend bench: ${TRACKS} tracks, ${LISTENERS} listeners\n`)
const t = await recommendApp(catalog)
const viewers: Principal[] = []
for (let u = 0; u < LISTENERS; u++) viewers.push(signedIn(t, (await t.user(`listener${u}`)).token))

// Sessions per listener, oldest first: a scene of theirs, 6 to 12 tracks four minutes apart.
type Session = { at: number; titles: string[] }
const start = Date.now() - DAYS * DAY
const sessions = viewers.map((_, u) => {
  const tastes = Array.from({ length: SCENES_PER_LISTENER }, (_, i) => (u * 2 + i * 3) % SCENES)
  const out: Session[] = []
  for (let d = 0; d < DAYS; d++) {
    for (let n = 0; n < SESSIONS_PER_DAY; n++) {
      const scene = sceneTracks[skewed(tastes)] as string[][]
      const length = 6 + Math.floor(random() * 7)
      const titles: string[] = []
      while (titles.length < length) {
        const title = skewed(pickOf(scene))
        if (titles.at(-1) !== title) titles.push(title)
      }
      out.push({ at: start + d * DAY + (9 + n * 8) * 3_600_000, titles })
    }
  }
  return out
})
const training = sessions.map((s) => s.slice(0, -HELD_OUT_SESSIONS))
const heldOut = sessions.map((s) => s.slice(-HELD_OUT_SESSIONS))
const pairs = heldOut.flatMap((ss, u) =>
  ss.flatMap((s) =>
    s.titles.slice(1).map((next, i) => ({ u, from: t.track(s.titles[i] as string), next: t.track(next) })),
  ),
)

/** The share of pairs whose next track is among the K answers for the track before it. */
function hitRate(answer: (u: number, from: number) => number[]): number {
  let hits = 0
  for (const p of pairs) if (answer(p.u, p.from).slice(0, K).includes(p.next)) hits++
  return (100 * hits) / pairs.length
}
const similar = (u: number, from: number) =>
  t.recommender.similar(viewers[u] as Principal, from, K).map((r) => r.id)

const tagsOnly = hitRate(similar)

process.stderr.write(`recommend bench: learning from ${training.flat().length} sessions\n`)
for (const [u, ss] of training.entries()) {
  const events: EventInput[] = ss.flatMap((s) =>
    s.titles.flatMap((title, i) => listen(String(t.track(title)), 200_000, s.at + (i + 1) * 240_000)),
  )
  for (let i = 0; i < events.length; i += 1000)
    await t.send((viewers[u] as Principal).userId, events.slice(i, i + 1000))
}

const learned = hitRate(similar)
const byShare = SHARES.map((listeningShare) => {
  const r = createRecommender({
    db: t.db,
    trackSummaries: t.catalog.trackSummaries,
    listSongs: t.catalog.listSongs,
    listeningShare,
  })
  return [
    listeningShare,
    hitRate((u, from) => r.similar(viewers[u] as Principal, from, K).map((x) => x.id)),
  ] as const
})
const popular = t.log.stats.top('track', 'all', 'household', K + 1).map((x) => Number(x.id))
const popularity = hitRate((_, from) => popular.filter((id) => id !== from))
const chance = (100 * K) / (TRACKS - 1)
await t.close()

const unit = '% hits in top 20'
const ref = result('most played by the household (popularity)', unit, [popularity])
emit([
  against(
    result('more like this, learned from listening', unit, [learned], {
      note: `${pairs.length} held-out pairs`,
    }),
    ref,
  ),
  ref,
  against(result('more like this from tags alone (before any listening)', unit, [tagsOnly]), ref),
  result('chance', unit, [chance]),
  ...byShare.map(([share, rate]) =>
    result(
      `more like this with ${share} of the score from listening${share === LISTENING_SHARE ? ' (the server uses this)' : ''}`,
      unit,
      [rate],
    ),
  ),
])
