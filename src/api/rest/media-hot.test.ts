import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type StreamingFixture, streamingFixture } from '../../stream/testing.ts'

setDefaultTimeout(90_000)

// A segment asked for again within a second is answered before Hono (media-hot.ts). These tests
// hold the hot answers to the full path's: same status, headers and bytes, and after a hot answer,
// every refusal still comes with its reason. The counter of hot answers shows which way a
// request went.

let f: StreamingFixture
let anna: { id: number; token: string }
let bob: { id: number; token: string }
beforeAll(async () => {
  f = await streamingFixture()
  await f.addTrack(1, { seconds: 10 })
  anna = await f.user('anna', 'user', [1])
  bob = await f.user('bob', 'user', [1])
})
afterAll(() => f.close())

async function segmentUrl(token: string, rung: string, file: string): Promise<string> {
  const res = await f.call('POST', '/api/tracks/1/play', { token })
  const { renditions } = (await res.json()) as { renditions: { id: string; url: string }[] }
  return new URL(file, renditions.find((r) => r.id === rung)?.url).href
}

/** Hot answers so far, by `file method status`. */
async function hotAnswers(): Promise<Record<string, number>> {
  const text = await (await f.fetch('/metrics')).text()
  const counts: Record<string, number> = {}
  for (const m of text.matchAll(
    /^tonearm_media_hot_responses_total\{file="(\w+)",method="(\w+)",status="(\d+)"\} (\d+)$/gm,
  )) {
    counts[`${m[1]} ${m[2]} ${m[3]}`] = Number(m[4])
  }
  return counts
}

/** Fetches `url` and tells whether the hot path answered it (the counter moved). */
async function fetchCounted(url: string, init?: RequestInit) {
  const before = await hotAnswers()
  const res = await f.fetch(url, init)
  const body = new Uint8Array(await res.arrayBuffer())
  const after = await hotAnswers()
  const moved = Object.keys(after).filter((k) => after[k] !== before[k])
  return { res, body, hot: moved.length === 1 ? moved[0] : moved.length === 0 ? 'full' : moved.join('+') }
}

const headersOf = (res: Response) =>
  Object.fromEntries([...res.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date'))

const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json()) as { status: number; code: string; detail: string }
}

describe('the media hot path', () => {
  it('answers a repeated request exactly as the full path answered the first', async () => {
    const url = await segmentUrl(anna.token, 'aac-160', '1.m4s')
    const first = await fetchCounted(url)
    expect(first.hot).toBe('full')
    expect(first.res.status).toBe(200)
    for (const init of [
      undefined,
      { method: 'HEAD' },
      { headers: { 'if-none-match': first.res.headers.get('etag') as string } },
      { headers: { range: 'bytes=100-199' } },
      { headers: { range: 'bytes=-500' } },
      { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } },
      { headers: { range: 'items=0-1' } },
    ] as RequestInit[]) {
      // The full path's answer to the same request, for comparison: a fresh second makes it go there.
      f.clock.advance(1000)
      const full = await fetchCounted(url, init)
      const hot = await fetchCounted(url, init)
      expect({ init, full: full.hot }).toEqual({ init, full: 'full' })
      expect({ init, hot: hot.hot }).toEqual({
        init,
        hot: `segment ${init?.method ?? 'GET'} ${full.res.status}`,
      })
      expect(headersOf(hot.res)).toEqual(headersOf(full.res))
      expect(hot.body).toEqual(full.body)
      expect(hot.res.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/)
    }
    const whole = await fetchCounted(url)
    expect(whole.body).toEqual(first.body)
    expect(whole.res.headers.get('content-length')).toBe(String(first.body.length))
  })

  it('serves inits too, and keeps a sane request id the client sent', async () => {
    const url = await segmentUrl(anna.token, 'aac-96', 'init.mp4')
    await f.fetch(url)
    const again = await fetchCounted(url, { headers: { 'x-request-id': 'player-42_a=' } })
    expect(again.hot).toBe('init GET 200')
    expect(again.res.headers.get('x-request-id')).toBe('player-42_a=')
    const odd = await fetchCounted(url, { headers: { 'x-request-id': 'not ok' } })
    expect(odd.res.headers.get('x-request-id')).not.toBe('not ok')
  })

  it('leaves unsatisfiable ranges to the full path, which names the fault', async () => {
    const url = await segmentUrl(anna.token, 'aac-160', '1.m4s')
    const { body } = await fetchCounted(url)
    const bad = await fetchCounted(url, { headers: { range: `bytes=${body.length}-` } })
    expect(bad.hot).toBe('full')
    expect(bad.res.status).toBe(416)
    expect(bad.res.headers.get('content-range')).toBe(`bytes */${body.length}`)
  })

  it('still refuses with the reason once a segment is hot', async () => {
    const carl = await f.user('carl', 'user', [1])
    const url = await segmentUrl(carl.token, 'aac-320', '1.m4s')
    await f.fetch(url)
    expect((await fetchCounted(url)).hot).toBe('segment GET 200')

    const tampered = url.replace(/(\.\d{10}\.)(.)/, (_, pre, c) => `${pre}${c === 'A' ? 'B' : 'A'}`)
    expect((await problemOf(await f.fetch(tampered))).detail).toContain('was altered')
    const otherUser = url.replace(`/media/${carl.id}.`, `/media/${bob.id}.`)
    expect((await problemOf(await f.fetch(otherUser))).detail).toContain('was altered')

    const asBob = await fetchCounted(url, { headers: { authorization: `Bearer ${bob.token}` } })
    expect(asBob.hot).toBe('full')
    expect(asBob.res.status).toBe(403)
    expect(new TextDecoder().decode(asBob.body)).toContain('issued to another user')
    const asCarl = await fetchCounted(url, { headers: { cookie: `tonearm_session=${carl.token}` } })
    expect(asCarl.hot).toBe('segment GET 200')
    const badCredentials = await fetchCounted(url, { headers: { authorization: 'Bearer nonsense' } })
    expect(badCredentials.hot).toBe('segment GET 200')

    await f.accounts.users.update(carl.id, { maxBitrate: 96 }, { source: 'cli' })
    expect((await problemOf(await f.fetch(url))).detail).toContain("above this user's maximum bitrate of 96")
    await f.accounts.users.update(carl.id, { maxBitrate: 0, folders: [] }, { source: 'cli' })
    expect((await problemOf(await f.fetch(url))).detail).toContain('no longer shared')
    await f.accounts.users.update(carl.id, { folders: [1] }, { source: 'cli' })
    expect((await fetchCounted(url)).hot).toBe('segment GET 200')
    f.accounts.users.remove(carl.id, { source: 'cli' })
    expect((await problemOf(await f.fetch(url))).detail).toContain('no longer exists')
  })

  it('refuses an expired URL with the time it expired, even within the second', async () => {
    const url = await segmentUrl(anna.token, 'aac-96', '0.m4s')
    const expiresMs = Number(/\/media\/\d+\.(\d{10})\./.exec(url)?.[1]) * 1000
    const toEdge = expiresMs - 500 - f.clock.now()
    f.clock.advance(toEdge)
    try {
      expect((await fetchCounted(url)).res.status).toBe(200)
      expect((await fetchCounted(url)).hot).toBe('segment GET 200')
      f.clock.advance(500)
      const expired = await problemOf(await f.fetch(url))
      expect(expired.status).toBe(403)
      expect(expired.detail).toMatch(/expired at \d{4}-\d\d-\d\dT/)
    } finally {
      f.clock.advance(-toEdge - 500)
    }
  })

  it('serves the same file to many clients at once over a real socket', async () => {
    const server = await f.listen()
    const url = new URL(new URL(await segmentUrl(anna.token, 'aac-160', '2.m4s')).pathname, server.url).href
    const first = new Uint8Array(await (await fetch(url)).arrayBuffer())
    const bodies = await Promise.all(
      Array.from({ length: 64 }, async () => new Uint8Array(await (await fetch(url)).arrayBuffer())),
    )
    for (const b of bodies) expect(b).toEqual(first)
    expect((await hotAnswers())['segment GET 200']).toBeGreaterThanOrEqual(64)
  })
})
