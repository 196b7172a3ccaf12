import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { removeDir, tempDir } from '../../../tests/helpers/server.ts'
import { type Catalog, createCatalog, listMusicFolders } from '../../catalog/index.ts'
import { createSearch, type Search } from '../../search/index.ts'
import { LIBRARY, PRIVATE_LIBRARY, writeLibrary } from '../../search/test-support.ts'
import { type TestApp, testApp } from '../testing.ts'

// The search routes over a real scanned catalog, called in process with real tokens.

let root: string
let t: TestApp
let catalog: Catalog
let search: Search
let admin: { token: string }
let anna: { token: string }

beforeAll(async () => {
  root = tempDir('tonearm-search-api-')
  const [pub, priv] = [join(root, 'public'), join(root, 'private')]
  await writeLibrary(pub, LIBRARY)
  await writeLibrary(priv, PRIVATE_LIBRARY)
  t = await testApp({}, (f) => {
    // The fixture's two folders (ids 1 and 2, which accounts already know) now hold the libraries.
    f.sqlite.all('UPDATE music_folders SET path = ? WHERE id = 1', pub)
    f.sqlite.all('UPDATE music_folders SET path = ? WHERE id = 2', priv)
    catalog = createCatalog({ db: f.sqlite.db, dataDir: f.dir, folders: () => listMusicFolders(f.sqlite.db) })
    search = createSearch({ db: f.sqlite.db, changes: catalog.events })
    return { catalog, search }
  })
  search.publish(t.metrics.registry)
  await catalog.scanner.scan({ full: false, trigger: 'test' })
  await search.start()
  const folders = listMusicFolders(t.sqlite.db)
  admin = await t.user('admin', 'admin')
  anna = await t.user('anna', 'user', [folders.find((f) => f.path === pub)?.id ?? 0])
}, 120_000)
afterAll(async () => {
  search.stop()
  await catalog.scanner.close()
  t.close()
  removeDir(root)
})

const get = async (path: string, token = admin.token) => {
  const res = await t.call('GET', path, { token })
  // biome-ignore lint/suspicious/noExplicitAny: each assertion states the shape it expects
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }
}

describe('GET /api/search', () => {
  it('answers grouped results with the catalog summaries, best first', async () => {
    const { status, body } = await get('/api/search?q=beatls')
    expect(status).toBe(200)
    expect(body.artists.items[0]).toMatchObject({ name: 'The Beatles', albumCount: 2, trackCount: 3 })
    expect(body.albums.items.map((a: { name: string }) => a.name).sort()).toEqual(['Abbey Road', 'Help!'])
    expect(body.tracks.total).toBe(3)
    expect(body.tracks.items[0]).toMatchObject({ artist: 'The Beatles', album: expect.any(String) })
    expect(body.nextCursor).toBeNull()
  })

  it('narrows to one kind and pages with an opaque cursor', async () => {
    const seen: number[] = []
    let cursor = ''
    let pages = 0
    do {
      const { status, body } = await get(`/api/search?type=track&limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      expect(status).toBe(200)
      expect(body.artists).toBeUndefined()
      seen.push(...body.tracks.items.map((x: { id: number }) => x.id))
      cursor = body.nextCursor ?? ''
      pages++
    } while (cursor)
    // An empty query pages through everything, each track once.
    expect(seen).toHaveLength(LIBRARY.length + PRIVATE_LIBRARY.length)
    expect(new Set(seen).size).toBe(seen.length)
    expect(pages).toBe(4)
  })

  it('refuses a cursor of another query', async () => {
    const { body } = await get('/api/search?type=track&limit=1&q=rock')
    const other = await get(`/api/search?type=track&limit=1&q=pop&cursor=${body.nextCursor}`)
    expect(other.status).toBe(400)
    expect(other.body).toMatchObject({ code: 'invalid', field: 'cursor' })
    expect((await get('/api/search?cursor=nonsense')).body.field).toBe('cursor')
  })

  it('shows only the folders the user was granted', async () => {
    expect((await get('/api/search?q=yesterday&type=track')).body.tracks.total).toBe(3)
    const { body } = await get('/api/search?q=yesterday&type=track', anna.token)
    expect(body.tracks.items.map((x: { title: string }) => x.title)).toEqual(['Yesterday', 'Yesterday'])
  })

  it('answers malformed input with a 400 or nothing, never a 500', async () => {
    const long = await get(`/api/search?q=${'a'.repeat(10 * 1024)}`)
    expect(long.status).toBe(400)
    expect(long.body).toMatchObject({ code: 'invalid', field: 'q' })
    for (const q of [
      '%22rage%20machine',
      '%22%22%22',
      '!!!%20...%20%3F',
      '%FF%FE',
      '%E0%A4%A',
      '%',
      'year%3A',
      '(((',
      'artist%3A%22',
    ]) {
      const { status, body } = await get(`/api/search?q=${q}`)
      expect([200, 400]).toContain(status)
      if (status === 200) expect(body.nextCursor === null || typeof body.nextCursor === 'string').toBe(true)
    }
    expect((await get('/api/search?q=%22rage%20machine')).body.artists.items[0].name).toBe(
      'Rage Against the Machine',
    )
    expect((await get('/api/search?q=!!!%20...')).body.tracks).toEqual({ items: [], total: 0 })
    expect((await get('/api/search?q=year%3Anineties')).body).toMatchObject({ code: 'invalid', field: 'q' })
    expect((await get('/api/search?limit=0')).body.field).toBe('limit')
    expect((await get('/api/search?type=playlist')).body.field).toBe('type')
  })

  it('needs credentials', async () => {
    expect((await t.call('GET', '/api/search?q=rage')).status).toBe(401)
    expect((await t.call('GET', '/api/search/suggest?q=rage')).status).toBe(401)
  })
})

describe('GET /api/search/suggest', () => {
  it('mixes a handful of kinds for the words being typed', async () => {
    const { status, body } = await get('/api/search/suggest?q=abbey%20ro')
    expect(status).toBe(200)
    expect(body.items[0]).toMatchObject({ kind: 'album', name: 'Abbey Road', artist: 'The Beatles' })
    expect(body.items[1]).toMatchObject({ kind: 'track', name: 'Abbey Road Blues' })
    expect((await get('/api/search/suggest?q=b&limit=3')).body.items).toHaveLength(3)
    expect((await get('/api/search/suggest?q=')).body.items).toEqual([])
    expect((await get('/api/search/suggest?q=secret', anna.token)).body.items).toEqual([])
  })
})

describe('the OpenAPI document and metrics', () => {
  it('documents both routes', async () => {
    const { body } = await get('/api/openapi.json')
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/search', '/api/search/suggest']))
  })

  it('publishes index size and query latency', async () => {
    const text = await (await t.call('GET', '/metrics')).text()
    expect(text).toMatch(/tonearm_search_documents\{kind="track"\} 15/)
    expect(text).toMatch(/tonearm_search_index_build_progress 1/)
    expect(text).toMatch(/tonearm_search_query_duration_seconds_count\{op="find"\} [1-9]/)
  })
})
