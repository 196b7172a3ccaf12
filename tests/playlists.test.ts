import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { demoLibrary } from './helpers/library.ts'
import { fromSource, type Running, removeDir, start, tempDir, waitForHealth } from './helpers/server.ts'

// Playlists, stars and bookmarks against the real server over real sockets: a user builds a
// playlist from the scanned demo library, hears about it on the device channel, exports it, and
// finds it all again after a restart.

setDefaultTimeout(120_000)

// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>

let data: string
let music: string
let server: Running
let token: string

const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  return {
    status: res.status,
    text,
    body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as Json,
  }
}

async function boot(): Promise<void> {
  server = await start(fromSource, ['--data', data, '--music', music], { admin: true })
  await waitForHealth(server.url, (b) => b.components.scanner?.status === 'ok')
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'anna', password: 'anna-password-1' }),
  })
  token = ((await login.json()) as { token: string }).token
}

beforeAll(async () => {
  music = await demoLibrary()
  data = tempDir()
  server = await start(fromSource, ['--data', data, '--music', music], { admin: true })
  const created = await server.api('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'anna', password: 'anna-password-1' }),
  })
  expect(created.status).toBe(201)
  await server.stop()
  await boot()
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
})

/** The device channel of the signed-in user, subscribed to `topics`; resolves with the live frames as they come. */
async function liveUpdates(topics: string[]) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/ws`, [
    'tonearm.v1',
    `tonearm.bearer.${token}`,
  ])
  const frames: Json[] = []
  ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)))
  await new Promise((res, rej) => {
    ws.onopen = res
    ws.onerror = rej
  })
  ws.send(JSON.stringify({ type: 'subscribe', topics, id: 's1' }))
  const waitFor = async (match: (f: Json) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const found = frames.find(match)
      if (found) return found
      await Bun.sleep(50)
    }
    throw new Error(`no such frame among ${JSON.stringify(frames)}`)
  }
  await waitFor((f) => f.type === 'subscribed')
  return { waitFor, close: () => ws.close() }
}

describe('playlists on the real server', () => {
  let playlistId: number
  let tracks: Json[]

  it('builds a playlist from the scanned library and announces it on the device channel', async () => {
    tracks = (await api('/api/tracks?limit=500')).body.items
    expect(tracks).toHaveLength(13)
    const live = await liveUpdates(['playlists'])
    const [t1, t2, t3] = tracks as [Json, Json, Json]
    const created = await api('/api/playlists', {
      method: 'POST',
      body: { name: 'Demo mix', trackIds: [t1.id, t2.id] },
    })
    expect(created.status).toBe(201)
    playlistId = created.body.id
    const frame = await live.waitFor((f) => f.type === 'live' && f.topic === 'playlists')
    expect(frame.payload).toMatchObject({ playlistId, change: 'created' })
    live.close()

    const added = await api(`/api/playlists/${playlistId}/entries`, {
      method: 'POST',
      body: { trackIds: [t3.id], index: 0 },
    })
    expect(added.body.entries.map((e: Json) => e.trackId)).toEqual([t3.id, t1.id, t2.id])
    const total = [t1, t2, t3].reduce((s, t) => s + t.duration, 0)
    expect(added.body.duration).toBeCloseTo(total, 3)
  })

  it('exports the playlist with paths relative to the music folder', async () => {
    const exported = await api(`/api/playlists/${playlistId}/export?format=m3u`)
    expect(exported.status).toBe(200)
    const paths = exported.text.split('\n').filter((l) => l && !l.startsWith('#'))
    const expected: string[] = []
    for (const e of (await api(`/api/playlists/${playlistId}`)).body.entries)
      expected.push((await api(`/api/tracks/${e.trackId}`)).body.path)
    expect(paths).toEqual(expected)
  })

  it('keeps playlists, stars and bookmarks across a restart', async () => {
    const [t1] = tracks as [Json]
    expect((await api(`/api/library/starred/tracks/${t1.id}`, { method: 'PUT' })).status).toBe(204)
    expect(
      (await api(`/api/library/bookmarks/${t1.id}`, { method: 'PUT', body: { positionMs: 1500 } })).status,
    ).toBe(200)
    const before = (await api(`/api/playlists/${playlistId}`)).body
    await server.stop()
    await boot()
    const after = (await api(`/api/playlists/${playlistId}`)).body
    expect(after.entries.map((e: Json) => e.entryId)).toEqual(before.entries.map((e: Json) => e.entryId))
    expect((await api('/api/library/starred')).body.tracks.map((t: Json) => t.id)).toEqual([t1.id])
    expect((await api('/api/library/bookmarks')).body.items[0]).toMatchObject({
      trackId: t1.id,
      positionMs: 1500,
    })
  })
})
