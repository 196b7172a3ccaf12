import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type LibraryApp, libraryApp, type SeededAlbum, seedAlbum } from '../../playlists/testing.ts'

let t: LibraryApp
let anna: { id: number; token: string }
let kid: { id: number; token: string }
let jazz: SeededAlbum
let rock: SeededAlbum

beforeAll(async () => {
  t = await libraryApp()
  jazz = seedAlbum(t.db, { folderId: 1, artist: 'Café Aurora', album: 'Lumière', titles: ['A', 'B'] })
  rock = seedAlbum(t.db, { folderId: 2, artist: 'Loud', album: 'Grown', titles: ['X'] })
  anna = await t.user('anna')
  kid = await t.user('kid', 'user', [1])
})
afterAll(() => t.close())

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await t.call(method, path, { token, body })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type'), body: text ? JSON.parse(text) : null }
}

describe('library routes', () => {
  it('stars and unstars tracks, albums and artists, and lists them by kind', async () => {
    const track = jazz.trackIds[0] as number
    expect((await call('PUT', `/api/library/starred/tracks/${track}`, anna.token)).status).toBe(204)
    expect((await call('PUT', `/api/library/starred/albums/${jazz.albumId}`, anna.token)).status).toBe(204)
    expect((await call('PUT', `/api/library/starred/artists/${rock.artistId}`, anna.token)).status).toBe(204)
    const starred = await call('GET', '/api/library/starred', anna.token)
    expect(starred.status).toBe(200)
    expect(starred.body.tracks.map((x: { title: string }) => x.title)).toEqual(['A'])
    expect(starred.body.albums.map((x: { name: string }) => x.name)).toEqual(['Lumière'])
    expect(starred.body.artists[0]).toMatchObject({ name: 'Loud', starredAt: expect.any(String) })
    expect((await call('DELETE', `/api/library/starred/artists/${rock.artistId}`, anna.token)).status).toBe(
      204,
    )
    expect((await call('GET', '/api/library/starred', anna.token)).body.artists).toEqual([])
  })

  it('rates, clears ratings, and reports annotations of a page of ids', async () => {
    const [one, two] = jazz.trackIds as [number, number]
    expect((await call('PUT', `/api/library/ratings/tracks/${two}`, anna.token, { rating: 5 })).status).toBe(
      204,
    )
    const page = await call('GET', `/api/library/annotations?kind=tracks&ids=${one},${two},999`, anna.token)
    expect(page.body.items).toEqual([
      { id: one, starred: expect.any(String), userRating: null },
      { id: two, starred: null, userRating: 5 },
    ])
    expect((await call('PUT', `/api/library/ratings/tracks/${two}`, anna.token, { rating: 0 })).status).toBe(
      204,
    )
    const after = await call('GET', `/api/library/annotations?kind=tracks&ids=${two}`, anna.token)
    expect(after.body.items).toEqual([])
  })

  it('saves, lists and deletes bookmarks', async () => {
    const track = jazz.trackIds[1] as number
    const saved = await call('PUT', `/api/library/bookmarks/${track}`, anna.token, {
      positionMs: 42_000,
      comment: 'here',
    })
    expect(saved.status).toBe(200)
    expect(saved.body).toMatchObject({
      trackId: track,
      positionMs: 42_000,
      comment: 'here',
      track: { title: 'B' },
    })
    expect((await call('GET', '/api/library/bookmarks', anna.token)).body.items).toHaveLength(1)
    expect((await call('DELETE', `/api/library/bookmarks/${track}`, anna.token)).status).toBe(204)
    expect((await call('DELETE', `/api/library/bookmarks/${track}`, anna.token)).status).toBe(404)
  })

  it('answers 400 naming the field, and never reveals what is outside the caller’s folders', async () => {
    const hidden = rock.trackIds[0] as number
    const cases: [string, string, unknown, number, string | undefined][] = [
      ['PUT', `/api/library/starred/songs/1`, undefined, 400, 'kind'],
      ['PUT', `/api/library/starred/tracks/0`, undefined, 400, 'id'],
      ['PUT', `/api/library/starred/tracks/${hidden}`, undefined, 400, 'trackIds'],
      ['PUT', `/api/library/ratings/tracks/${jazz.trackIds[0]}`, { rating: 6 }, 400, 'rating'],
      ['PUT', `/api/library/ratings/tracks/${jazz.trackIds[0]}`, {}, 400, 'rating'],
      ['PUT', `/api/library/bookmarks/${jazz.trackIds[0]}`, { positionMs: -1 }, 400, 'positionMs'],
      ['PUT', `/api/library/bookmarks/${hidden}`, { positionMs: 1 }, 404, undefined],
      ['GET', '/api/library/annotations?kind=tracks&ids=1,,2', undefined, 400, 'ids'],
    ]
    for (const [method, path, body, status, field] of cases) {
      const res = await call(method, path, kid.token, body)
      expect({ path, status: res.status, field: res.body?.field }).toEqual({ path, status, field })
      expect(res.type).toBe('application/problem+json')
    }
    expect((await t.call('GET', '/api/library/starred')).status).toBe(401)
  })
})
