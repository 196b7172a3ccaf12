import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import type { Principal } from '../accounts/index.ts'
import { ev, listen } from '../events/test-support.ts'
import { fails, signedIn } from '../playlists/testing.ts'
import { createRecommender } from './recommend.ts'
import { type RecommendApp, recommendApp } from './testing.ts'

let t: RecommendApp
let anna: Principal
let ben: Principal
let kid: Principal
beforeEach(async () => {
  t = await recommendApp()
  anna = signedIn(t, (await t.user('anna')).token)
  ben = signedIn(t, (await t.user('ben')).token)
  kid = signedIn(t, (await t.user('kid', 'user', [1])).token)
})
afterEach(() => t.close())

const HOUR = 3_600_000
const DAY = 24 * HOUR
const titles = (xs: { title: string }[]) => xs.map((x) => x.title)

/** One listening session: each track heard for a minute, one after the other. */
function session(at: number, ...tracks: string[]) {
  return tracks.flatMap((title, i) => listen(String(t.track(title)), 60_000, at + i * 4 * 60_000))
}

describe('more like this', () => {
  it('with no listening yet, is the same artist first, then the same genre; never the seed or a folder the viewer lacks', () => {
    const forKid = titles(t.recommender.similar(kid, t.track('N1'), 10))
    expect(forKid.slice(0, 3).sort()).toEqual(['N2', 'N3', 'N4'])
    expect(forKid.slice(3).sort()).toEqual(['H1', 'H2', 'H3'])
    expect(titles(t.recommender.similar(anna, t.track('N1'), 10))).toContain('S1')
    const why = t.recommender.similar(kid, t.track('N1'), 10).map((r) => [r.title, r.because])
    expect(why).toContainEqual(['N2', 'same-artist'])
    expect(why).toContainEqual(['H1', 'same-genre'])
  })

  it('ranks what the household heard together above what merely shares an artist, more so the more often', async () => {
    const now = Date.now()
    for (const day of [3, 2, 1]) await t.send(anna.userId, session(now - day * DAY, 'W1', 'R1'))
    await t.send(ben.userId, session(now - 5 * HOUR, 'W1', 'R2'))
    const similar = t.recommender.similar(kid, t.track('W1'), 5)
    expect(titles(similar).slice(0, 4)).toEqual(['R1', 'R2', 'W2', 'W3'])
    expect(similar[0]?.because).toBe('listened-together')
    expect(similar[2]?.because).toBe('same-artist')
  })

  it('pairs only plays of one session: hours apart, or by different people, they relate nothing', async () => {
    const now = Date.now()
    await t.send(anna.userId, session(now - 10 * HOUR, 'H1'))
    await t.send(anna.userId, session(now - 5 * HOUR, 'R3'))
    await t.send(ben.userId, session(now - 5 * HOUR + 60_000, 'W3'))
    expect(t.db.all(sql`SELECT * FROM co_listens`)).toEqual([])
    await t.send(anna.userId, session(now - 5 * HOUR + 5 * 60_000, 'N1'))
    expect(t.db.all(sql`SELECT track_id, other_id, weight FROM co_listens ORDER BY track_id`)).toEqual([
      { track_id: String(t.track('N1')), other_id: String(t.track('R3')), weight: 1 },
      { track_id: String(t.track('R3')), other_id: String(t.track('N1')), weight: 1 },
    ])
  })

  it('leaves out what this listener usually skips or rated low, and only for them', async () => {
    const r1 = String(t.track('R1'))
    await t.send(anna.userId, session(Date.now() - DAY, 'W1', 'R1'))
    const skips = [1, 2, 3].flatMap(() => [
      ev('play_started', { trackId: r1 }),
      ev('skip', { trackId: r1, positionMs: 3000 }),
    ])
    await t.send(ben.userId, skips)
    await t.send(kid.userId, [ev('rate', { trackId: r1, rating: 1 })])
    expect(titles(t.recommender.similar(anna, t.track('W1'), 5))).toContain('R1')
    expect(titles(t.recommender.similar(ben, t.track('W1'), 5))).not.toContain('R1')
    expect(titles(t.recommender.similar(kid, t.track('W1'), 5))).not.toContain('R1')
  })

  it('says precisely what is wrong with a request', () => {
    expect(fails(() => t.recommender.similar(kid, t.track('S1'))).kind).toBe('not_found')
    expect(fails(() => t.recommender.similar(kid, 999_999)).kind).toBe('not_found')
    expect(fails(() => t.recommender.similar(kid, t.track('N1'), 0)).details).toEqual({ field: 'limit' })
    expect(
      fails(() => t.recommender.radio(kid, { kind: 'album', id: t.albums.Hidden?.albumId as number })).kind,
    ).toBe('not_found')
  })
})

describe('radio', () => {
  it('starts with the seed track, then travels', () => {
    const station = titles(t.recommender.radio(kid, { kind: 'track', id: t.track('H2') }, 6))
    expect(station[0]).toBe('H2')
    expect(station).toHaveLength(6)
    expect(new Set(station).size).toBe(6)
  })

  it('from an album or an artist lets its own tracks take turns with related ones', () => {
    const album = titles(
      t.recommender.radio(kid, { kind: 'album', id: t.albums.Night?.albumId as number }, 10),
    )
    expect(album.slice(0, 6)).toEqual(['N1', 'H1', 'N2', 'H2', 'N3', 'H3'])
    // Nothing in the catalog shares Loud's artist or genre, and nobody has listened around it yet.
    const artist = titles(
      t.recommender.radio(kid, { kind: 'artist', id: t.albums.Riffs?.artistId as number }, 10),
    )
    expect(artist).toEqual(['R1', 'R2', 'R3'])
  })
})

describe('mixes', () => {
  it('build your mix from what you play, minus the last two days, and show the household what the others play', async () => {
    const now = Date.now()
    await t.send(anna.userId, session(now - 3 * HOUR, 'N1', 'N2'))
    await t.send(ben.userId, session(now - 4 * DAY, 'N2', 'H1', 'R2'))
    const mixes = t.recommender.mixes(anna)
    const mine = mixes.find((m) => m.id === 'for-you')
    expect(mine).toBeDefined()
    expect(titles(mine?.tracks ?? [])).not.toContain('N1')
    expect(titles(mine?.tracks ?? [])).not.toContain('N2')
    expect(titles(mine?.tracks ?? []).slice(0, 3)).toContain('H1')
    expect(titles(mixes.find((m) => m.id === 'household')?.tracks ?? []).sort()).toEqual(['H1', 'R2'])
    expect(mixes.find((m) => m.id === 'rediscover')).toBeUndefined()
  })

  it('bring back old favourites not heard in two months, and offer nothing to a new listener', async () => {
    const old = Date.now() - 90 * DAY
    await t.send(
      anna.userId,
      [0, 1, 2].flatMap((i) => session(old + i * DAY, 'W2')),
    )
    const rediscover = t.recommender.mixes(anna).find((m) => m.id === 'rediscover')
    expect(titles(rediscover?.tracks ?? [])).toEqual(['W2'])
    // Anna's plays are older than the household mix's month, so a new listener is offered nothing yet.
    expect(t.recommender.mixes(kid)).toEqual([])
  })

  it("keep the day's mixes while they are played from, and make new ones the next day", async () => {
    let clock = Date.now()
    const daily = createRecommender({
      db: t.db,
      trackSummaries: t.catalog.trackSummaries,
      listSongs: t.catalog.listSongs,
      now: () => clock,
    })
    const lists = (p: Principal) => Object.fromEntries(daily.mixes(p).map((m) => [m.id, titles(m.tracks)]))
    await t.send(anna.userId, session(clock - 3 * HOUR, 'N1', 'N2'))
    await t.send(ben.userId, session(clock - 4 * DAY, 'N2', 'H1', 'R2'))
    const morning = lists(anna)
    expect(morning.household?.sort()).toEqual(['H1', 'R2'])
    // Anna plays her household mix: heard now, H1 and R2 would leave it and reshape her own mix.
    await t.send(anna.userId, session(clock - HOUR, 'H1', 'R2'))
    expect(lists(anna)).toEqual(morning)
    // A track gone from the library leaves the kept mix at once.
    t.db.run(sql`UPDATE tracks SET missing_at = ${clock} WHERE id = ${t.track('R2')}`)
    expect(lists(anna).household).toEqual(['H1'])
    t.db.run(sql`UPDATE tracks SET missing_at = NULL WHERE id = ${t.track('R2')}`)
    clock += DAY
    const tomorrow = lists(anna)
    expect(tomorrow.household).toBeUndefined()
    expect(tomorrow['for-you']).not.toEqual(morning['for-you'])
    // A listener's mixes are theirs: they go with the account.
    const kept = () =>
      t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM daily_mixes WHERE user_id = ${anna.userId}`)
    expect(kept()[0]?.n).toBeGreaterThan(0)
    t.db.run(sql`DELETE FROM users WHERE id = ${anna.userId}`)
    expect(kept()[0]?.n).toBe(0)
  })
})
