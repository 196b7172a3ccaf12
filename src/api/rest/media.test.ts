import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readFileSync } from 'node:fs'
import { type StreamingFixture, streamingFixture } from '../../stream/testing.ts'

setDefaultTimeout(90_000)

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

interface Urls {
  hls: string
  progressive: string
  renditions: { id: string; url: string }[]
}
async function playAs(token: string, id = 1): Promise<Urls> {
  const res = await f.call('POST', `/api/tracks/${id}/play`, { token })
  expect(res.status).toBe(200)
  return (await res.json()) as Urls
}
const rungUrl = (urls: Urls, rung: string, file: string) =>
  new URL(file, urls.renditions.find((r) => r.id === rung)?.url).href
const problemOf = async (res: Response) => {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  return (await res.json()) as { status: number; code: string; detail: string; field?: string }
}
/** The URL with one character of its signature changed. */
const tamper = (url: string) =>
  url.replace(/(\.\d{10}\.)(.)/, (_, pre, c) => `${pre}${c === 'A' ? 'B' : 'A'}`)

describe('signed media URLs', () => {
  it('work without cookie or token, and allow other origins to load them', async () => {
    const urls = await playAs(anna.token)
    const res = await f.fetch(urls.hls)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
    expect(res.headers.get('cache-control')).toBe('public, max-age=5')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
  })

  it('refuse altered URLs with 403 and a reason', async () => {
    const urls = await playAs(anna.token)
    const altered = await problemOf(await f.fetch(tamper(urls.hls)))
    expect(altered).toMatchObject({ status: 403, code: 'forbidden' })
    expect(altered.detail).toContain('was altered')
    // Another user's id, or an HLS signature on a progressive path, is an alteration too.
    const otherUser = urls.hls.replace(`/media/${anna.id}.`, `/media/${bob.id}.`)
    expect((await problemOf(await f.fetch(otherUser))).detail).toContain('was altered')
    const token = /\/media\/([^/]+)\//.exec(urls.hls)?.[1]
    const swapped = urls.progressive.replace(/\/media\/[^/]+\//, `/media/${token}/`)
    expect((await problemOf(await f.fetch(swapped))).detail).toContain('was altered')
  })

  it('expire, and say when', async () => {
    const urls = await playAs(anna.token)
    const segment = rungUrl(urls, 'aac-96', 'init.mp4')
    expect((await f.fetch(segment)).status).toBe(200)
    f.clock.advance(8 * 3600_000)
    try {
      const expired = await problemOf(await f.fetch(segment))
      expect(expired.status).toBe(403)
      expect(expired.detail).toMatch(/expired at \d{4}-\d\d-\d\dT/)
    } finally {
      f.clock.advance(-8 * 3600_000)
    }
  })

  it('refuse a signed-in caller who is not the user they were issued to', async () => {
    const urls = await playAs(anna.token)
    const asBob = await f.fetch(urls.hls, { headers: { authorization: `Bearer ${bob.token}` } })
    expect((await problemOf(asBob)).detail).toContain('issued to another user')
    const asAnna = await f.fetch(urls.hls, { headers: { cookie: `tonearm_session=${anna.token}` } })
    expect(asAnna.status).toBe(200)
  })

  it('follow the user’s rights as they are now: folders, bitrate cap, existence', async () => {
    const carl = await f.user('carl', 'user', [1])
    const urls = await playAs(carl.token)
    const top = rungUrl(urls, 'aac-320', 'index.m3u8')
    expect((await f.fetch(top)).status).toBe(200)
    await f.accounts.users.update(carl.id, { maxBitrate: 96 }, { source: 'cli' })
    expect((await problemOf(await f.fetch(top))).detail).toContain(
      "above this user's maximum bitrate of 96 kbps",
    )
    expect((await f.fetch(rungUrl(urls, 'aac-96', 'index.m3u8'))).status).toBe(200)
    const master = await (await f.fetch(urls.hls)).text()
    expect(master).not.toContain('aac-160')
    await f.accounts.users.update(carl.id, { folders: [] }, { source: 'cli' })
    expect((await problemOf(await f.fetch(urls.hls))).detail).toContain('no longer shared')
    f.accounts.users.remove(carl.id, { source: 'cli' })
    expect((await problemOf(await f.fetch(urls.hls))).detail).toContain('no longer exists')
  })
})

describe('bad input is a precise 4xx', () => {
  it('segment numbers out of range, unknown rungs and stale versions are 404', async () => {
    const urls = await playAs(anna.token)
    const out = await problemOf(await f.fetch(rungUrl(urls, 'aac-96', '99.m4s')))
    expect(out).toMatchObject({ status: 404, detail: 'segment 99 (this track has segments 0..2) not found' })
    const rung = await problemOf(
      await f.fetch(rungUrl(urls, 'aac-96', 'init.mp4').replace('aac-96', 'aac-97')),
    )
    expect(rung).toMatchObject({ status: 404, detail: 'HLS rendition aac-97 not found' })
    const stale = rungUrl(urls, 'aac-96', '0.m4s').replace(/\/hls\/[\w-]{12}\//, '/hls/AAAAAAAAAAAA/')
    expect((await problemOf(await f.fetch(stale))).detail).toContain('fetch the master playlist again')
  })

  it('malformed names and offsets are 400 naming the field', async () => {
    const urls = await playAs(anna.token)
    for (const [url, field] of [
      [rungUrl(urls, 'aac-96', 'seg-1.m4s'), 'file'],
      [rungUrl(urls, 'aac-96', '01.m4s'), 'file'],
      [rungUrl(urls, 'aac-96', '1234567.m4s'), 'file'],
      [`${urls.progressive}?t=-1`, 't'],
      [`${urls.progressive}?t=1e9`, 't'],
      [`${urls.progressive}?t=NaN`, 't'],
      [urls.progressive.replace(/\/file\/\w+$/, '/file/..%2f..%2fetc'), 'format'],
    ] as const) {
      expect({ url, ...(await problemOf(await f.fetch(url))) }).toMatchObject({ status: 400, field })
    }
    const mp3 = urls.renditions.find((r) => r.id === 'mp3-96')?.url
    const beyond = await problemOf(await f.fetch(`${mp3}?t=999999`))
    expect(beyond).toMatchObject({ status: 400, code: 'invalid' })
    expect(beyond.detail).toContain('outside the track')
  })

  it('a track that is gone is 404 even with a good signature, within a second', async () => {
    await f.addTrack(5, { seconds: 4 })
    const urls = await playAs(anna.token, 5)
    expect((await f.fetch(urls.hls)).status).toBe(200)
    f.tracks.delete(5)
    // The catalog's answer is reused for up to a second (see src/stream/context.ts).
    f.clock.advance(1000)
    expect(await problemOf(await f.fetch(urls.hls))).toMatchObject({
      status: 404,
      detail: 'track 5 not found',
    })
  })
})

describe('segments over HTTP', () => {
  it('are immutable with a strong ETag, 304 on revalidation, with ranges and HEAD', async () => {
    const urls = await playAs(anna.token)
    const url = rungUrl(urls, 'aac-160', '1.m4s')
    const res = await f.fetch(url)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toBe('audio/mp4')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length)
    const etag = res.headers.get('etag') as string
    expect(etag).toMatch(/^"[\w/.-]+\/seg-1\.m4s"$/)

    const again = await f.fetch(url, { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect((await again.arrayBuffer()).byteLength).toBe(0)

    const part = await f.fetch(url, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`)
    expect(part.headers.get('content-length')).toBe('100')
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.slice(100, 200))

    const suffix = await f.fetch(url, { headers: { range: 'bytes=-500' } })
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.slice(-500))
    const open = await f.fetch(url, { headers: { range: `bytes=${bytes.length - 10}-` } })
    expect(open.headers.get('content-range')).toBe(
      `bytes ${bytes.length - 10}-${bytes.length - 1}/${bytes.length}`,
    )

    const head = await f.fetch(url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(bytes.length))
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('answer 416 with Content-Range bytes */size for unsatisfiable and malformed ranges', async () => {
    const urls = await playAs(anna.token)
    const url = rungUrl(urls, 'aac-160', '1.m4s')
    const size = Number((await f.fetch(url, { method: 'HEAD' })).headers.get('content-length'))
    for (const range of [`bytes=${size}-`, 'bytes=-0', 'bytes=9-3', 'bytes=x-y', 'pages']) {
      const res = await f.fetch(url, { headers: { range } })
      expect({ range, status: res.status }).toEqual({ range, status: 416 })
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`)
      expect((await problemOf(res)).code).toBe('range_not_satisfiable')
    }
    // Ranges in other units are ignored; several ranges get the whole segment.
    expect((await f.fetch(url, { headers: { range: 'items=0-1' } })).status).toBe(200)
    expect((await f.fetch(url, { headers: { range: 'bytes=0-1,4-5' } })).status).toBe(200)
    // If-Range with another validator turns the answer into the whole file.
    const ifRange = await f.fetch(url, { headers: { range: 'bytes=0-9', 'if-range': '"stale"' } })
    expect(ifRange.status).toBe(200)
    expect(Number(ifRange.headers.get('content-length'))).toBe(size)
  })
})

describe('progressive files', () => {
  it('serve the original with Last-Modified, If-Range by date and HEAD', async () => {
    const urls = await playAs(anna.token)
    const original = urls.renditions.find((r) => r.id === 'original')?.url as string
    const bytes = new Uint8Array(readFileSync(f.tracks.get(1)?.path as string))
    const head = await f.fetch(original, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe('audio/flac')
    expect(head.headers.get('content-length')).toBe(String(bytes.length))
    const modified = head.headers.get('last-modified') as string
    const part = await f.fetch(original, { headers: { range: 'bytes=0-3', 'if-range': modified } })
    expect(part.status).toBe(206)
    expect(new TextDecoder().decode(await part.arrayBuffer())).toBe('fLaC')
    expect((await f.fetch(original, { headers: { 'if-modified-since': modified } })).status).toBe(304)
  })

  it('stream a cold rendition as it is encoded, then serve ranges of the cached file', async () => {
    const urls = await playAs(anna.token)
    const mp3 = urls.renditions.find((r) => r.id === 'mp3-96')?.url as string
    const live = await f.fetch(mp3, { headers: { range: 'bytes=0-' } })
    expect(live.status).toBe(200)
    expect(live.headers.get('accept-ranges')).toBe('none')
    expect(live.headers.get('content-type')).toBe('audio/mpeg')
    const streamed = new Uint8Array(await live.arrayBuffer())
    expect(streamed.length).toBeGreaterThan((10 * 96_000 * 0.9) / 8)
    // A seek (a range from the middle) waits for the cached file if the background encode is not done.
    const seek = await f.fetch(mp3, { headers: { range: 'bytes=1000-1999' } })
    expect(seek.status).toBe(206)
    expect(seek.headers.get('content-range')).toMatch(/^bytes 1000-1999\/\d+$/)
    expect(seek.headers.get('etag')).toMatch(/file\.mp3"$/)
  })

  it('start a transcode at ?t= seconds, chunked and without ranges; refuse ?t= on the original', async () => {
    const urls = await playAs(anna.token)
    const res = await f.fetch(`${urls.renditions.find((r) => r.id === 'mp3-96')?.url}?t=6`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBeNull()
    expect(res.headers.get('cache-control')).toBe('no-store')
    const tail = new Uint8Array(await res.arrayBuffer())
    // About 4 s of 96 kbps MP3: far less than the whole 10 s file.
    expect(tail.length).toBeGreaterThan(4 * 12_000 * 0.8)
    expect(tail.length).toBeLessThan(6 * 12_000)
    const original = urls.renditions.find((r) => r.id === 'original')?.url
    expect(await problemOf(await f.fetch(`${original}?t=6`))).toMatchObject({ status: 400, field: 't' })
  })
})
