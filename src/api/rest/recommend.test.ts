import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createCatalog, listMusicFolders } from '../../catalog/index.ts'
import { seedAlbum } from '../../playlists/testing.ts'
import { createRecommender } from '../../recommend/index.ts'
import { type TestApp, testApp } from '../testing.ts'

// The routes over the real recommender and catalog: shapes, the seed rules and precise errors.
// Ranking itself is tested in src/recommend.

let t: TestApp
let token: string
let album: ReturnType<typeof seedAlbum>
beforeAll(async () => {
  t = await testApp({}, (f) => {
    const catalog = createCatalog({
      db: f.sqlite.db,
      dataDir: f.dir,
      folders: () => listMusicFolders(f.sqlite.db),
    })
    const recommend = createRecommender({
      db: f.sqlite.db,
      trackSummaries: catalog.trackSummaries,
      listSongs: catalog.listSongs,
    })
    return { catalog, recommend }
  })
  album = seedAlbum(t.sqlite.db, { folderId: 1, artist: 'Aurora', album: 'Night', titles: ['A', 'B', 'C'] })
  token = (await t.user('anna')).token
})
afterAll(() => t.close())

const get = async (path: string) => {
  const res = await t.call('GET', path, { token })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('recommendation routes', () => {
  it('answers more like this, radio and mixes', async () => {
    const [a, b, c] = album.trackIds as [number, number, number]
    const similar = await get(`/api/tracks/${a}/similar?limit=5`)
    expect(similar.status).toBe(200)
    expect(similar.body.items).toMatchObject([
      { id: b, because: 'same-artist' },
      { id: c, because: 'same-artist' },
    ])
    const radio = await get(`/api/radio?trackId=${b}`)
    expect((radio.body.items as { id: number }[]).map((x) => x.id)).toEqual([b, a, c])
    expect((await get(`/api/radio?albumId=${album.albumId}&limit=2`)).body.items).toHaveLength(2)
    expect(await get('/api/mixes')).toEqual({ status: 200, body: { items: [] } })
  })

  it('says which parameter is wrong', async () => {
    expect(await get('/api/radio')).toMatchObject({ status: 400, body: { field: 'trackId' } })
    expect(await get(`/api/radio?trackId=1&albumId=${album.albumId}`)).toMatchObject({
      status: 400,
      body: { field: 'albumId' },
    })
    expect(await get(`/api/tracks/${album.trackIds[0]}/similar?limit=101`)).toMatchObject({
      status: 400,
      body: { field: 'limit' },
    })
    expect(await get('/api/tracks/abc/similar')).toMatchObject({ status: 400, body: { field: 'id' } })
    expect(await get('/api/tracks/999999/similar')).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    })
    expect(await get('/api/radio?artistId=999999')).toMatchObject({ status: 404 })
    expect((await t.call('GET', '/api/mixes')).status).toBe(401)
  })

  it('are in the OpenAPI document', async () => {
    const doc = (await (await t.call('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/tracks/{id}/similar', '/api/radio', '/api/mixes']),
    )
  })
})
