import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { demoLibraryCopy } from './helpers/library.ts'
import { fromSource, type Running, removeDir, run, start, tempDir, waitForHealth } from './helpers/server.ts'

// The catalog over HTTP against a real server: browse, pagination, covers, scan status, the
// watcher, and `tonearm scan` beside the running server. (Accounts will put these behind auth.)

setDefaultTimeout(120_000)

let music: string
let data: string
let server: Running

// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>
const get = async (path: string) => {
  const res = await server.api(path)
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json }
}
const items = async (path: string) => (await get(path)).body.items as Json[]

async function scansDone(atLeast: number): Promise<Json> {
  for (let i = 0; i < 200; i++) {
    const { body } = await get('/api/scan')
    if (body.state === 'idle' && (body.lastScan?.scanId ?? 0) >= atLeast) return body.lastScan
    await Bun.sleep(100)
  }
  throw new Error('scan did not finish')
}

beforeAll(async () => {
  music = await demoLibraryCopy()
  data = tempDir()
  server = await start(fromSource, ['--data', data, '--music', music], { admin: true })
  // Covers are resized by the audio engine; until it has started they are a 429 to retry.
  await waitForHealth(
    server.url,
    (b) => b.components.scanner?.status === 'ok' && b.components.audio?.status === 'ok',
  )
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
  removeDir(join(music, '..'))
})

describe('browse', () => {
  it('lists artists, albums, tracks and genres', async () => {
    expect((await items('/api/artists')).map((a) => a.name)).toEqual([
      'Ångström Collective',
      'Café Aurora',
      'Various Artists',
      'Yūki Hoshino',
    ])
    expect((await items('/api/albums?sort=year')).map((a) => a.year)).toEqual([2023, 2021, 2020, 2019])
    expect((await items('/api/tracks?limit=500')).length).toBe(13)
    expect((await items('/api/genres')).map((g) => g.name)).toEqual(['Ambient', 'Electronic', 'Jazz'])
  })

  it('filters albums by genre, year range and artist', async () => {
    expect((await items('/api/albums?genre=jazz')).map((a) => a.name)).toEqual([
      'Lumière du Soir',
      'Tonearm Sampler, Vol. 1',
    ])
    expect((await items('/api/albums?yearFrom=2020&yearTo=2021')).map((a) => a.year).sort()).toEqual([
      2020, 2021,
    ])
    const yuki = (await items('/api/artists')).find((a) => a.name === 'Yūki Hoshino')
    expect((await items(`/api/albums?artistId=${yuki?.id}`)).map((a) => a.name)).toEqual([
      'Tonearm Sampler, Vol. 1',
      '夜明けの音',
    ])
    const detail = (await get(`/api/artists/${yuki?.id}`)).body
    expect(detail.albums.map((a: Json) => a.name)).toEqual(['夜明けの音'])
    expect(detail.appearsOn.map((a: Json) => a.name)).toEqual(['Tonearm Sampler, Vol. 1'])
  })

  it('pages with opaque cursors, every item exactly once, in every sort order', async () => {
    for (const sort of ['name', 'year', 'recent', 'played']) {
      const seen: number[] = []
      let cursor = ''
      do {
        const { body } = await get(`/api/albums?sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        seen.push(...body.items.map((a: Json) => a.id))
        cursor = body.nextCursor ?? ''
      } while (cursor)
      expect(seen.length).toBe(4)
      expect(new Set(seen).size).toBe(4)
    }
    const pages: number[] = []
    let cursor = ''
    do {
      const { body } = await get(`/api/tracks?sort=recent&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
      pages.push(body.items.length)
      cursor = body.nextCursor ?? ''
    } while (cursor)
    expect(pages).toEqual([5, 5, 3])
  })

  it("sorts albums by the household's plays, counted from the listening log", async () => {
    const ambient = (await items('/api/albums?genre=ambient')).find((a) => a.name === '夜明けの音')
    const track = (await get(`/api/albums/${ambient?.id}`)).body.tracks[1]
    // Seven whole plays, posted as a player posts them.
    const events = Array.from({ length: 7 }, (_, i) => {
      const common = {
        deviceId: 'catalog-test',
        trackId: String(track.id),
        clientTime: Date.now() - 1000 * (7 - i),
      }
      return [
        { type: 'play_started', eventId: `catalog-play-${i}-s`, ...common },
        {
          type: 'play_ended',
          eventId: `catalog-play-${i}-e`,
          heardMs: Math.round(track.duration * 1000),
          ...common,
        },
      ]
    }).flat()
    const posted = await server.api('/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'api', events }),
    })
    expect(posted.status).toBeLessThan(300)
    let played: Json[] = []
    for (let i = 0; i < 100 && played[0]?.playCount !== 7; i++) {
      await Bun.sleep(100)
      played = await items('/api/albums?sort=played')
    }
    expect(played[0]).toMatchObject({ name: '夜明けの音', playCount: 7 })
    expect(played.slice(1).every((a) => a.playCount === 0)).toBe(true)
    expect((await get(`/api/tracks/${track.id}`)).body.playCount).toBe(7)
  })

  it('shows an album with its tracks in disc and track order, and a track in full', async () => {
    const drift = (await items('/api/albums')).find((a) => a.name === 'Polar Drift')
    const album = (await get(`/api/albums/${drift?.id}`)).body
    expect(album.tracks.map((t: Json) => `${t.discNo}-${t.trackNo}`)).toEqual(['1-1', '1-2', '2-1', '2-2'])
    const track = (await get(`/api/tracks/${album.tracks[2].id}`)).body
    expect(track).toMatchObject({
      title: 'Øresund Bridge',
      codec: 'MPEG 1 Layer 3',
      discNo: 2,
      discOf: 2,
      albumId: drift?.id,
    })
    expect(track.artists).toEqual([{ id: expect.any(Number), name: 'Ångström Collective', role: 'artist' }])
  })

  it('answers bad ids and parameters with 400 and unknown ones with 404, as problem+json', async () => {
    const cases: [string, number, string | undefined][] = [
      ['/api/albums/abc', 400, 'id'],
      ['/api/albums/0', 400, 'id'],
      ['/api/tracks/99999', 404, undefined],
      ['/api/artists/99999', 404, undefined],
      ['/api/albums?limit=0', 400, 'limit'],
      ['/api/albums?limit=501', 400, 'limit'],
      ['/api/albums?sort=loudest', 400, 'sort'],
      ['/api/albums?cursor=bm9wZQ', 400, 'cursor'],
      ['/api/albums?yearFrom=2022&yearTo=2020', 400, 'yearFrom'],
      ['/api/covers/not-a-cover', 400, 'id'],
      ['/api/covers/0123456789abcdef0123456789abcdef', 404, undefined],
      ['/api/scan/problems?reason=bogus', 400, 'reason'],
    ]
    for (const [path, status, field] of cases) {
      const res = await get(path)
      expect({ path, status: res.status, type: res.type }).toEqual({
        path,
        status,
        type: 'application/problem+json',
      })
      if (field) expect(res.body.field).toBe(field)
    }
  })
})

describe('covers', () => {
  it('serves resized JPEGs with a strong ETag and immutable caching', async () => {
    const [album] = await items('/api/albums')
    const res = await server.api(`/api/covers/${album?.coverId}?size=100`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    const etag = res.headers.get('etag')
    expect(etag).toBe(`"${album?.coverId}-128"`)
    const jpeg = new Uint8Array(await res.arrayBuffer())
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    const again = await server.api(`/api/covers/${album?.coverId}?size=128`, {
      headers: { 'if-none-match': etag ?? '' },
    })
    expect(again.status).toBe(304)
    const original = await server.api(`/api/covers/${album?.coverId}`)
    expect(original.headers.get('content-type')).toBe('image/jpeg')
    expect((await original.arrayBuffer()).byteLength).toBeGreaterThan(jpeg.length)
  })
})

describe('scanning', () => {
  it('reports status, and the watcher catalogs new files and problems within seconds', async () => {
    const before = (await get('/api/scan')).body.lastScan.scanId
    const flac = join(music, 'Café Aurora/2019 - Lumière du Soir/01 - Rue des Étoiles.flac')
    cpSync(flac, join(music, 'dropped in.flac'))
    writeFileSync(join(music, 'empty.mp3'), '')
    const last = await scansDone(before + 1)
    expect(last).toMatchObject({ trigger: 'watcher', status: 'done' })
    expect((await items('/api/tracks?limit=500')).length).toBe(14)
    const problems = (await get('/api/scan/problems')).body
    expect(problems.items).toEqual([
      expect.objectContaining({ path: 'empty.mp3', reason: 'empty', message: 'zero-byte file' }),
    ])
    const health = (await get('/api/health')).body
    expect(health.components.scanner).toMatchObject({ status: 'ok', lastScan: { status: 'done' } })
  })

  it('starts a full scan on POST /api/scan and rejects a malformed body', async () => {
    const before = (await get('/api/scan')).body.lastScan.scanId
    const res = await server.api(`/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"full":true}',
    })
    expect(res.status).toBe(202)
    expect(((await res.json()) as Json).state).toBe('running')
    expect(await scansDone(before + 1)).toMatchObject({
      trigger: 'api',
      full: true,
      updated: 14,
      problems: 1,
    })
    const bad = await server.api(`/api/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"full":1}',
    })
    expect(bad.status).toBe(400)
  })

  it('runs `tonearm scan` beside the server on the same data directory', async () => {
    const r = await run(fromSource, ['scan', '--data', data, '--music', music])
    expect(r.stderr).not.toContain('already running')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^scan done: 15 files in [\d.]+ s \(\d+ files\/s\): 0 added, 0 updated, 0 removed, 14 unchanged, 1 problem$/m,
    )
    expect((await get('/api/scan')).body.lastScan.trigger).toBe('cli')
  })

  it('publishes every route with response schemas in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).body
    for (const path of [
      '/api/artists',
      '/api/artists/{id}',
      '/api/albums',
      '/api/albums/{id}',
      '/api/tracks',
      '/api/tracks/{id}',
      '/api/genres',
      '/api/covers/{id}',
      '/api/scan',
      '/api/scan/problems',
    ]) {
      const ops = doc.paths[path] as Json
      expect(ops).toBeDefined()
      for (const op of Object.values(ops) as Json[])
        expect(Object.keys(op.responses)).toContain(op.responses['202'] ? '202' : '200')
    }
    expect(JSON.stringify(doc.components.schemas.Album)).toContain('"tracks"')
    expect(readFileSync(join(data, 'server.json'), 'utf8')).toContain(String(server.port))
  })
})
