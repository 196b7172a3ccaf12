import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import type { Principal } from '../accounts/index.ts'
import {
  fails,
  type LibraryApp,
  libraryApp,
  markMissing,
  purgeTrack,
  type SeededAlbum,
  seedAlbum,
  signedIn,
} from '../playlists/testing.ts'

let t: LibraryApp
let anna: Principal
let kid: Principal
let jazz: SeededAlbum
let rock: SeededAlbum

const principal = (token: string) => signedIn(t, token)
beforeAll(async () => {
  t = await libraryApp()
  jazz = seedAlbum(t.db, { folderId: 1, artist: 'Café Aurora', album: 'Lumière', titles: ['A', 'B', 'C'] })
  rock = seedAlbum(t.db, { folderId: 2, artist: 'Loud', album: 'Grown', titles: ['X'] })
  anna = principal((await t.user('anna')).token)
  kid = principal((await t.user('kid', 'user', [1])).token)
})
afterAll(() => t.close())

const track = (i: number) => jazz.trackIds[i] as number

describe('stars', () => {
  it('stars tracks, albums and artists with their time, newest first, and keeps the first time on a repeat', () => {
    t.library.star(anna, [{ kind: 'track', id: track(0) }])
    t.clock.advance(1000)
    t.library.star(anna, [
      { kind: 'track', id: track(1) },
      { kind: 'album', id: jazz.albumId },
      { kind: 'artist', id: rock.artistId },
    ])
    t.clock.advance(1000)
    t.library.star(anna, [{ kind: 'track', id: track(0) }])
    const starred = t.library.starred(anna)
    expect(starred.tracks.map((x) => x.title)).toEqual(['B', 'A'])
    expect(
      Date.parse(starred.tracks[0]?.starredAt as string) - Date.parse(starred.tracks[1]?.starredAt as string),
    ).toBe(1000)
    expect(starred.albums.map((x) => x.name)).toEqual(['Lumière'])
    expect(starred.artists.map((x) => x.name)).toEqual(['Loud'])
  })

  it('unstars without error for things that were never starred', () => {
    t.library.unstar(anna, [
      { kind: 'track', id: track(1) },
      { kind: 'track', id: track(2) },
      { kind: 'artist', id: 999_999 },
    ])
    expect(t.library.starred(anna).tracks.map((x) => x.title)).toEqual(['A'])
  })

  it('refuses to star what the user may not see, and hides stars outside their folders', () => {
    const err = fails(() => t.library.star(kid, [{ kind: 'track', id: rock.trackIds[0] as number }]))
    expect(err.kind).toBe('invalid')
    expect(err.details).toEqual({ field: 'trackIds' })
    expect(fails(() => t.library.star(kid, [{ kind: 'album', id: rock.albumId }])).details).toEqual({
      field: 'albumIds',
    })
  })

  it('hides stars of things in folders the user has since lost', async () => {
    const mia = await t.user('mia')
    t.library.star(principal(mia.token), [
      { kind: 'track', id: rock.trackIds[0] as number },
      { kind: 'artist', id: rock.artistId },
      { kind: 'track', id: track(0) },
    ])
    await t.accounts.users.update(mia.id, { folders: [1] }, { source: 'cli' })
    const now = t.library.starred(principal(mia.token))
    expect(now.tracks.map((x) => x.title)).toEqual(['A'])
    expect(now.artists).toEqual([])
  })

  it('keeps a star while the file is missing and shows it again when it returns', () => {
    t.library.star(anna, [{ kind: 'track', id: track(2) }])
    markMissing(t.db, [track(2)])
    expect(t.library.starred(anna).tracks.some((x) => x.id === track(2))).toBe(false)
    markMissing(t.db, [track(2)], false)
    expect(t.library.starred(anna).tracks.some((x) => x.id === track(2))).toBe(true)
  })
})

describe('ratings and bulk annotations', () => {
  it('rates 1–5, clears with 0, and attaches star and rating to a page of ids in one call', () => {
    t.library.setRating(anna, { kind: 'track', id: track(0) }, 4)
    t.library.setRating(anna, { kind: 'album', id: jazz.albumId }, 5)
    t.library.setRating(anna, { kind: 'track', id: track(1) }, 2)
    t.library.setRating(anna, { kind: 'track', id: track(1) }, 0)
    const tracks = t.library.annotations(anna.userId, 'track', [track(0), track(1), track(2), 424242])
    expect(tracks.get(track(0))).toMatchObject({ userRating: 4 })
    expect(tracks.get(track(0))?.starred).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(tracks.has(track(1))).toBe(false)
    expect(tracks.get(track(2))).toMatchObject({ userRating: null })
    expect(t.library.annotations(anna.userId, 'album', [jazz.albumId]).get(jazz.albumId)).toMatchObject({
      userRating: 5,
    })
    // Another user's annotations are theirs alone.
    expect(t.library.annotations(kid.userId, 'track', [track(0)]).size).toBe(0)
  })

  it('lists what a user rated, highest first, theirs alone', () => {
    t.library.setRating(anna, { kind: 'track', id: track(2) }, 5)
    const rated = t.library.ratedIds(anna.userId, 'track')
    expect(rated[0]).toEqual({ id: track(2), rating: 5 })
    expect(rated.map((r) => r.rating)).toEqual([...rated.map((r) => r.rating)].sort((a, b) => b - a))
    expect(t.library.ratedIds(kid.userId, 'track')).toEqual([])
    t.library.setRating(anna, { kind: 'track', id: track(2) }, 0)
  })

  it('refuses ratings outside 0–5 and items the user may not see', () => {
    for (const bad of [-1, 6, 2.5])
      expect(fails(() => t.library.setRating(anna, { kind: 'track', id: track(0) }, bad)).details).toEqual({
        field: 'rating',
      })
    expect(
      fails(() => t.library.setRating(kid, { kind: 'track', id: rock.trackIds[0] as number }, 3)).kind,
    ).toBe('invalid')
  })

  it('deletes annotation rows left empty, so the scanner may purge long-missing tracks', () => {
    t.library.star(anna, [{ kind: 'track', id: track(1) }])
    t.library.setRating(anna, { kind: 'track', id: track(1) }, 3)
    const rows = () =>
      t.db.all(sql`SELECT 1 FROM track_annotations WHERE user_id = ${anna.userId} AND track_id = ${track(1)}`)
        .length
    expect(rows()).toBe(1)
    t.library.unstar(anna, [{ kind: 'track', id: track(1) }])
    expect(rows()).toBe(1)
    t.library.setRating(anna, { kind: 'track', id: track(1) }, 0)
    expect(rows()).toBe(0)
  })
})

describe('bookmarks', () => {
  it('saves one bookmark per track, moves it, lists the newest first, and deletes it', () => {
    t.library.saveBookmark(anna, track(0), { positionMs: 1000, comment: 'chapter 1' })
    t.clock.advance(1000)
    t.library.saveBookmark(anna, track(1), { positionMs: 5000 })
    t.clock.advance(1000)
    const moved = t.library.saveBookmark(anna, track(0), { positionMs: 90_000, comment: 'chapter 2' })
    expect(moved).toMatchObject({ trackId: track(0), positionMs: 90_000, comment: 'chapter 2' })
    expect(moved.changedAt > moved.createdAt).toBe(true)
    expect(t.library.listBookmarks(anna).map((x) => [x.track.title, x.positionMs])).toEqual([
      ['A', 90_000],
      ['B', 5000],
    ])
    t.library.deleteBookmark(anna, track(1))
    expect(t.library.listBookmarks(anna)).toHaveLength(1)
    expect(fails(() => t.library.deleteBookmark(anna, track(1))).kind).toBe('not_found')
  })

  it('refuses positions beyond the track and tracks the user may not see; a purged track takes its bookmark along', () => {
    expect(fails(() => t.library.saveBookmark(anna, track(2), { positionMs: 181_000 })).details).toEqual({
      field: 'positionMs',
    })
    expect(fails(() => t.library.saveBookmark(kid, rock.trackIds[0] as number, { positionMs: 0 })).kind).toBe(
      'not_found',
    )
    const gone = seedAlbum(t.db, { folderId: 1, artist: 'Brief', album: 'Once', titles: ['Z'] })
      .trackIds[0] as number
    t.library.saveBookmark(anna, gone, { positionMs: 10 })
    t.library.star(anna, [{ kind: 'track', id: gone }])
    purgeTrack(t.db, gone)
    expect(t.library.listBookmarks(anna).some((x) => x.trackId === gone)).toBe(false)
    expect(t.db.all(sql`SELECT 1 FROM bookmarks WHERE track_id = ${gone}`)).toEqual([])
  })
})

describe('a deleted user', () => {
  it('takes their track stars and ratings along, and leaves everyone else’s', async () => {
    const gone = await t.user('leaving')
    const leaving = principal(gone.token)
    t.library.star(leaving, [{ kind: 'track', id: track(2) }])
    t.library.star(anna, [{ kind: 'track', id: track(2) }])
    const annotations = (userId: number) =>
      t.db.all(sql`SELECT track_id FROM track_annotations WHERE user_id = ${userId}`).length
    const annas = annotations(anna.userId)
    expect(annotations(gone.id)).toBe(1)
    t.accounts.users.remove(gone.id, { principal: undefined })
    expect(annotations(gone.id)).toBe(0)
    expect(annotations(anna.userId)).toBe(annas)
  })
})
