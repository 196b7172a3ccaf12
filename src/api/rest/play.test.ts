import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type StreamingFixture, streamingFixture } from '../../stream/testing.ts'

setDefaultTimeout(60_000)

let f: StreamingFixture
let anna: { id: number; token: string }
beforeAll(async () => {
  f = await streamingFixture()
  await f.addTrack(1, { seconds: 8, folderId: 1 })
  await f.addTrack(2, { seconds: 8, folderId: 2 })
  anna = await f.user('anna', 'user', [1])
  await f.accounts.users.update(anna.id, { canDownload: false }, { source: 'cli' })
})
afterAll(() => f.close())

type Body = Record<string, unknown> & {
  renditions: { id: string; kind: string; url: string; bitrateKbps?: number }[]
}
const play = async (id: number | string, token: string) => {
  const res = await f.call('POST', `/api/tracks/${id}/play`, { token })
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Body }
}

describe('POST /api/tracks/:id/play', () => {
  it('returns signed HLS and progressive URLs, the duration, the loudness gain and the renditions', async () => {
    const { status, body } = await play(1, anna.token)
    expect(status).toBe(200)
    expect(body.trackId).toBe(1)
    expect(body.hls).toMatch(
      /^http:\/\/localhost\/api\/media\/\d+\.\d{10}\.[\w-]{22}\/tracks\/1\/master\.m3u8$/,
    )
    expect(body.progressive).toMatch(/\/api\/media\/[^/]+\/tracks\/1\/file\/mp3-320$/)
    expect(Math.abs((body.durationMs as number) - 8000)).toBeLessThan(50)
    // Not measured yet: ReplayGain tags would stand in; without them the gain is 0 and analysis is queued.
    expect(body.gain).toEqual({ gainDb: 0, peakLimited: false, basis: 'none' })
    expect(body.gainDb).toBe(0)
    expect(Date.parse(body.expiresAt as string)).toBeGreaterThan(Date.now() + 6 * 3600_000 - 1000)
    const ids = body.renditions.map((r) => r.id)
    expect(ids).toEqual(expect.arrayContaining(['aac-24', 'aac-320', 'mp3-320', 'vorbis-160']))
    // May not download: no original among the renditions.
    expect(ids).not.toContain('original')
  })

  it('gives the same URLs to repeated calls within the hour, so shared caches hit', async () => {
    const a = await play(1, anna.token)
    const b = await play(1, anna.token)
    expect(b.body.hls).toBe(a.body.hls as string)
    expect(b.body.renditions).toEqual(a.body.renditions)
  })

  it('caps the renditions at the user’s maximum bitrate, and offers the original to downloaders', async () => {
    const capped = await f.user('kid', 'user', [1])
    await f.accounts.users.update(capped.id, { maxBitrate: 100 }, { source: 'cli' })
    const { body } = await play(1, capped.token)
    expect(body.renditions.every((r) => (r.bitrateKbps ?? 0) <= 100)).toBe(true)
    expect(body.renditions.filter((r) => r.kind === 'hls').map((r) => r.id)).toEqual(['aac-24', 'aac-96'])
    expect(body.progressive).toEndWith('/file/mp3-96')

    const collector = await f.user('collector', 'user', [1])
    await f.accounts.users.update(collector.id, { canDownload: true }, { source: 'cli' })
    const full = await play(1, collector.token)
    expect(full.body.renditions.at(-1)).toMatchObject({
      id: 'original',
      kind: 'original',
      mimeType: 'audio/flac',
    })
    // No cap and may download: the original (FLAC plays in every browser) is the progressive URL.
    expect(full.body.progressive).toEndWith('/file/original')
  })

  it('answers 404 alike for unknown tracks and tracks in folders the user may not see', async () => {
    const unknown = await play(999, anna.token)
    const hidden = await play(2, anna.token)
    expect(unknown.status).toBe(404)
    expect(hidden.status).toBe(404)
    expect(hidden.type).toBe('application/problem+json')
    expect(hidden.body.detail).toBe('track 2 not found')
    expect(unknown.body.detail).toBe('track 999 not found')
    const admin = await f.user('root', 'admin')
    expect((await play(2, admin.token)).status).toBe(200)
  })

  it('answers 400 for ids that are not ids, and 401 without credentials', async () => {
    for (const bad of ['0', '-1', '1e3', 'abc', '99999999999999999']) {
      const res = await play(bad, anna.token)
      expect({ bad, status: res.status, field: res.body.field }).toEqual({ bad, status: 400, field: 'id' })
    }
    expect((await f.call('POST', '/api/tracks/1/play')).status).toBe(401)
  })

  it('needs only the read scope, unlike other writes', async () => {
    const principal = f.accounts.auth.authenticate(anna.token)
    if (!principal) throw new Error('anna is signed in')
    const readOnly = f.accounts.tokens.create(principal, { name: 'player', scopes: ['read'] }, {}).secret
    expect((await play(1, readOnly)).status).toBe(200)
    const prefetched = await f.call('POST', '/api/tracks/1/prefetch', { token: readOnly })
    expect(prefetched.status).toBe(202)
    // The exemption is narrow: another POST still needs write.
    const other = await f.call('POST', '/api/tokens', {
      token: readOnly,
      body: { name: 'x', scopes: ['read'] },
    })
    expect(other.status).toBe(403)
  })

  it('keeps the cross-site check for cookie-authenticated calls', async () => {
    const foreign = await f.call('POST', '/api/tracks/1/play', {
      cookie: anna.token,
      headers: { origin: 'https://evil.example' },
    })
    expect(foreign.status).toBe(403)
    const own = await f.call('POST', '/api/tracks/1/play', {
      cookie: anna.token,
      headers: { origin: 'http://localhost', host: 'localhost' },
    })
    expect(own.status).toBe(200)
  })
})

describe('POST /api/tracks/:id/prefetch', () => {
  it('warms the first segments of the start rung in the background', async () => {
    await f.addTrack(3, { seconds: 14, folderId: 1 })
    const res = await f.call('POST', '/api/tracks/3/prefetch', { token: anna.token })
    expect(res.status).toBe(202)
    const body = (await res.json()) as { trackId: number; rung: string; segments: number[] }
    expect(body).toEqual({ trackId: 3, rung: 'aac-160', segments: [0, 1, 2, 3] })
    const source = { id: '3', path: f.tracks.get(3)?.path as string }
    const deadline = Date.now() + 30_000
    let cached: boolean[] = []
    while (Date.now() < deadline) {
      cached = await f.audio.cachedSegments(source, 'aac-160')
      if (body.segments.every((i) => cached[i])) break
      await Bun.sleep(100)
    }
    expect(body.segments.map((i) => cached[i])).toEqual([true, true, true, true])
    // Only the start rung was touched.
    expect((await f.audio.cachedSegments(source, 'aac-320')).some(Boolean)).toBe(false)
  })

  it('refuses tracks the user may not see', async () => {
    expect((await f.call('POST', '/api/tracks/2/prefetch', { token: anna.token })).status).toBe(404)
  })
})
