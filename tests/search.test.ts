import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { join } from 'node:path'
import { LIBRARY, writeLibrary } from '../src/search/test-support.ts'
import { fromSource, type Running, removeDir, start, tempDir, waitForHealth } from './helpers/server.ts'

// Search against the real server over a real socket: the index is built at start, follows the
// first scan and the watcher, and shows its progress in health and /metrics.

setDefaultTimeout(120_000)

let root: string
let server: Running

// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>
const get = async (path: string) => (await (await server.api(path)).json()) as Json

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe()
    if (v !== undefined) return v
    await Bun.sleep(100)
  }
  throw new Error('condition not reached')
}

beforeAll(async () => {
  root = tempDir('tonearm-search-e2e-')
  await writeLibrary(join(root, 'music'), LIBRARY)
  server = await start(fromSource, ['--data', join(root, 'data'), '--music', join(root, 'music')], {
    admin: true,
  })
  await waitForHealth(
    server.url,
    (b) => b.components.scanner?.status === 'ok' && b.components.search?.status === 'ok',
  )
})
afterAll(async () => {
  await server?.stop()
  removeDir(root)
})

describe('search on the running server', () => {
  it('finds what the first scan cataloged, forgiving typos', async () => {
    const body = await get('/api/search?q=beatls')
    expect(body.artists.items[0].name).toBe('The Beatles')
    const suggest = await get('/api/search/suggest?q=rage%20mach')
    expect(suggest.items[0]).toMatchObject({ kind: 'artist', name: 'Rage Against the Machine' })
  })

  it('follows files added while it runs, through the watcher', async () => {
    await writeLibrary(join(root, 'music', 'later'), [
      { artist: 'Nina Simone', album: 'Pastel Blues', title: 'Sinnerman', genre: 'Jazz', year: 1965 },
    ])
    const hit = await until(async () => {
      const body = await get('/api/search?q=sinerman&type=track')
      return body.tracks.items[0]
    })
    expect(hit).toMatchObject({ title: 'Sinnerman', artist: 'Nina Simone', album: 'Pastel Blues' })
  })

  it('finds playlists by name as they are made and renamed, grouped beside the catalog', async () => {
    const post = await server.api('/api/playlists', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Beyoncé on the road', public: true }),
    })
    const { id } = (await post.json()) as { id: number }
    const body = await get('/api/search?q=beyonce%20roa')
    expect(body.playlists).toMatchObject({
      total: 1,
      items: [{ id, name: 'Beyoncé on the road', public: true }],
    })
    await server.api(`/api/playlists/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Night drive' }),
    })
    expect((await get('/api/search?q=beyonce&type=playlist')).playlists.total).toBe(0)
    const renamed = await get('/api/search?q=night%20driv&type=playlist')
    expect(renamed.playlists.items.map((p: Json) => p.name)).toEqual(['Night drive'])
    expect(renamed.artists).toBeUndefined()
  })

  it('reports the index in health and /metrics', async () => {
    const health = await get('/api/health')
    expect(health.components.search.status).toBe('ok')
    expect(health.components.search.documents.track).toBe(LIBRARY.length + 1)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/tonearm_search_documents\{kind="track"\} \d+/)
    expect(metrics).toMatch(/tonearm_search_index_build_progress 1/)
  })
})
