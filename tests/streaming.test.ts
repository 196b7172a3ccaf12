import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { M3U8Parser } from 'hls.js'
import { startDemoServer } from './helpers/library.ts'
import { type Running, removeDir } from './helpers/server.ts'

// Streaming against the real server from source: the catalog resolves scanned tracks, folder grants
// come from the accounts, segments are made by the configured engine (WASM here, as in CI).
setDefaultTimeout(180_000)

let music: string
let data: string
let server: Running
// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>

beforeAll(async () => {
  ;({ server, data, music } = await startDemoServer())
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
})

const tracks = async () =>
  ((await (await server.api('/api/tracks?limit=500')).json()) as Json).items as {
    id: number
    codec: string
  }[]

async function play(id: number, token?: string) {
  const init: RequestInit = { method: 'POST' }
  const res = token
    ? await fetch(`${server.url}/api/tracks/${id}/play`, {
        ...init,
        headers: { authorization: `Bearer ${token}` },
      })
    : await server.api(`/api/tracks/${id}/play`, init)
  return { status: res.status, body: (await res.json()) as Json }
}

describe('streaming scanned tracks', () => {
  it('plays every format of the demo library over HLS, from the first segment to the last', async () => {
    const all = await tracks()
    const byCodec = new Map(all.map((t) => [t.codec, t]))
    expect(byCodec.size).toBeGreaterThanOrEqual(3)
    for (const track of byCodec.values()) {
      const { status, body } = await play(track.id)
      expect({ codec: track.codec, status }).toEqual({ codec: track.codec, status: 200 })
      const masterText = await (await fetch(body.hls)).text()
      const master = M3U8Parser.parseMasterPlaylist(masterText, body.hls)
      expect(master.levels.length).toBe(4)
      const media = await (await fetch(master.levels[0]?.url as string)).text()
      const files = ['init.mp4', ...media.split('\n').filter((l) => l.endsWith('.m4s'))]
      for (const file of [files[0], files[1], files.at(-1)] as string[]) {
        const res = await fetch(new URL(file, master.levels[0]?.url))
        expect({ codec: track.codec, file, status: res.status }).toEqual({
          codec: track.codec,
          file,
          status: 200,
        })
        expect(res.headers.get('content-type')).toBe('audio/mp4')
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(file === 'init.mp4' ? 100 : 1000)
      }
    }
  })

  it('serves the original file with ranges, as big as it is on disk', async () => {
    const [first] = await tracks()
    const { body } = await play(first?.id as number)
    const original = (body.renditions as Json[]).find((r) => r.id === 'original')?.url as string
    const head = await fetch(original, { method: 'HEAD' })
    expect(head.status).toBe(200)
    const size = Number(head.headers.get('content-length'))
    const detail = (await (await server.api(`/api/tracks/${first?.id}`)).json()) as Json
    // The catalog's path is relative to the music folder.
    expect(size).toBe(statSync(join(music, detail.path)).size)
    const tail = await fetch(original, { headers: { range: 'bytes=-10' } })
    expect(tail.status).toBe(206)
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`)
  })

  it('answers 404 for tracks in folders a user may not see, and for unknown ids', async () => {
    const made = await server.api('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'guest', password: 'guest-password-1', folders: [] }),
    })
    expect(made.status).toBe(201)
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'guest', password: 'guest-password-1' }),
    })
    const { token } = (await login.json()) as { token: string }
    const [first] = await tracks()
    expect((await play(first?.id as number, token)).status).toBe(404)
    expect((await play(99_999)).status).toBe(404)
  })

  it('answers repeated segment requests from the hot path, as the full path did, and logs only refusals', async () => {
    const [first] = await tracks()
    const { body } = await play(first?.id as number)
    const master = M3U8Parser.parseMasterPlaylist(await (await fetch(body.hls)).text(), body.hls)
    const url = new URL('0.m4s', master.levels[0]?.url).href
    const hotCount = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text()
      return Number(
        /^tonearm_media_hot_responses_total\{file="segment",method="GET",status="200"\} (\d+)$/m.exec(
          text,
        )?.[1] ?? 0,
      )
    }
    const full = await fetch(url)
    const fullBytes = new Uint8Array(await full.arrayBuffer())
    const before = await hotCount()
    const hot = await Promise.all(Array.from({ length: 20 }, () => fetch(url)))
    // The hot path answers for a second after the full path served the file: on a loaded machine
    // some of the twenty may come later and go the full way again.
    expect((await hotCount()) - before).toBeGreaterThan(0)
    const headers = (r: Response) =>
      Object.fromEntries([...r.headers].filter(([k]) => !['x-request-id', 'date'].includes(k)))
    for (const res of hot) {
      expect(res.status).toBe(200)
      expect(headers(res)).toEqual(headers(full))
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(fullBytes)
    }
    // Successes are debug lines (not at the default info level); a refusal is logged with its status.
    const refused = await fetch(
      url.replace(/(\.\d{10}\.)(.)/, (_, pre, c) => `${pre}${c === 'A' ? 'B' : 'A'}`),
    )
    expect(refused.status).toBe(403)
    const refusedId = refused.headers.get('x-request-id')
    await Bun.sleep(200)
    const mediaLines = server.logs.filter((l) => l.msg === 'media request')
    expect(mediaLines.some((l) => l.reqId === refusedId && l.status === 403)).toBe(true)
    expect(mediaLines.filter((l) => l.status === 200)).toEqual([])
  })

  it('logged no server error', () => {
    const errors = server.logs.filter(
      (l) => l.level === 'error' || (typeof l.status === 'number' && l.status >= 500),
    )
    expect(errors).toEqual([])
  })
})
