import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { M3U8Parser, PlaylistLevelType } from 'hls.js'
import { decodePcm } from '../audio/testing/fixtures.ts'
import { measureJoins } from '../audio/testing/joins.ts'
import { type StreamingFixture, streamingFixture } from './testing.ts'

// The HLS stream end to end through the real routes: hls.js reads the playlists, the engine's own
// ffmpeg decodes what the segment URLs serve, and the result is compared with the source.
setDefaultTimeout(180_000)

// The audio domain's join test uses the same 14 s of music (boundaries at 2, 6 and 10 s). At 22 s
// its 160 kbps case fails at the 14 s boundary (3.6× the one-run error; reported to the audio branch).
const SECONDS = 14
let f: StreamingFixture
let token: string
let userId: number
let reference: Float32Array
beforeAll(async () => {
  f = await streamingFixture()
  const track = await f.addTrack(1, { seconds: SECONDS })
  await f.addTrack(2, { seconds: 60 })
  // The join tests use their own copies, which no play call warms: 3 made segment by segment, 4
  // by one encode per rung.
  for (const id of [3, 4]) {
    copyFileSync(track.path, join(f.dir, `copy-${id}.flac`))
    f.tracks.set(id, { id, path: join(f.dir, `copy-${id}.flac`), folderId: 1 })
  }
  const anna = await f.user('anna', 'user', [1])
  token = anna.token
  userId = anna.id
  reference = await decodePcm(f.engine, track.path)
})
afterAll(() => f.close())

async function masterOf(trackId: number) {
  const res = await f.call('POST', `/api/tracks/${trackId}/play`, { token })
  const { hls } = (await res.json()) as { hls: string }
  const text = await (await f.fetch(hls)).text()
  return { url: hls, text, parsed: M3U8Parser.parseMasterPlaylist(text, hls) }
}

async function mediaOf(url: string) {
  const res = await f.fetch(url)
  expect(res.status).toBe(200)
  return M3U8Parser.parseLevelPlaylist(await res.text(), url, 0, PlaylistLevelType.MAIN, 0, null)
}

const bytesOf = async (url: string) => {
  const res = await f.fetch(url)
  expect({ url, status: res.status }).toEqual({ url, status: 200 })
  return new Uint8Array(await res.arrayBuffer())
}

describe('HLS playlists', () => {
  it('hls.js reads the master playlist: every rung, with bandwidth and codecs, start rung first', async () => {
    const { parsed, text } = await masterOf(1)
    expect(text.startsWith('#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n')).toBe(true)
    expect(parsed.levels.map((l) => l.url.split('/').at(-2))).toEqual([
      'aac-160',
      'aac-24',
      'aac-96',
      'aac-320',
    ])
    for (const level of parsed.levels) {
      const kbps = Number(level.url.split('/').at(-2)?.split('-')[1])
      expect(level.audioCodec).toBe('mp4a.40.2')
      expect(level.bitrate).toBe(Math.ceil(kbps * 1000 * 1.15))
      expect(level.attrs['AVERAGE-BANDWIDTH']).toBe(String(Math.ceil(kbps * 1010)))
    }
  })

  it('hls.js reads each media playlist: VOD, ended, an init map, EXTINFs that add up to the track', async () => {
    const { parsed } = await masterOf(1)
    for (const level of parsed.levels) {
      const details = await mediaOf(level.url)
      expect(details.type).toBe('VOD')
      expect(details.live).toBe(false)
      expect(details.version).toBe(7)
      expect(details.fragments.length).toBe(4)
      expect(Math.abs(details.totalduration - SECONDS)).toBeLessThan(0.001)
      const longest = Math.max(...details.fragments.map((frag) => frag.duration))
      expect(details.targetduration).toBe(Math.ceil(longest))
      expect(details.fragments[0]?.initSegment?.url).toBe(new URL('init.mp4', level.url).href)
      expect(details.fragments.map((frag) => frag.url)).toEqual(
        details.fragments.map((_, i) => new URL(`${i}.m4s`, level.url).href),
      )
    }
  })
})

/**
 * Init and every segment of one rung of a track, fetched through the routes in `order`, joined and
 * decoded. The URLs are signed as the play call signs them, without its warming of the start rung,
 * so the order given is the order the segments are made in.
 */
async function decodeRung(trackId: number, kbps: number, order: (n: number) => number[]) {
  const url = f.urls(userId, trackId).master
  const parsed = M3U8Parser.parseMasterPlaylist(await (await f.fetch(url)).text(), url)
  const level = parsed.levels.find((l) => l.url.includes(`/aac-${kbps}/`))
  const details = await mediaOf(level?.url as string)
  const n = details.fragments.length
  const segments = new Map<number, Uint8Array>()
  for (const i of order(n)) segments.set(i, await bytesOf(details.fragments[i]?.url as string))
  const init = await bytesOf(details.fragments[0]?.initSegment?.url as string)
  const path = join(f.dir, `joined-${trackId}-${kbps}.mp4`)
  writeFileSync(
    path,
    Buffer.concat([init, ...Array.from({ length: n }, (_, i) => segments.get(i) as Uint8Array)]),
  )
  // hls.js places each fragment on the timeline from the EXTINFs; a boundary is where the next starts.
  const boundaries = details.fragments.slice(1).map((frag) => Math.round(frag.start * 44100))
  return { decoded: await decodePcm(f.engine, path), boundaries }
}

describe("ffmpeg's HLS demuxer", () => {
  it('reads a media playlist with the init and segments it names, and decodes the whole track', async () => {
    const { parsed } = await masterOf(1)
    const level = parsed.levels.find((l) => l.url.includes('/aac-96/')) as { url: string }
    const text = await (await f.fetch(level.url)).text()
    // The engine has no network: the playlist and the files it names go into its file system as
    // they were served, under the relative names the playlist uses.
    const names = ['init.mp4', ...text.split('\n').filter((l) => l.endsWith('.m4s'))]
    const files: Record<string, string> = { 'index.m3u8': join(f.dir, 'index.m3u8') }
    writeFileSync(files['index.m3u8'] as string, text)
    for (const name of names) {
      files[name] = join(f.dir, `served-${name}`)
      writeFileSync(files[name] as string, await bytesOf(new URL(name, level.url).href))
    }
    const { log } = await f.engine.run({
      args: ['-hide_banner', '-i', 'index.m3u8', '-f', 'null', '-'],
      files,
    })
    const [, samples = '0'] = /frames decoded \((\d+) samples\)/.exec(log.join('\n')) ?? []
    expect(log.join('\n')).toContain('0 decoding errors')
    // The demuxer ignores the init's edit list, so the 1024-sample priming frame is counted too.
    expect(Math.abs(Number(samples) / 44100 - SECONDS)).toBeLessThan(0.05)
  })
})

describe('segments fetched out of order through the routes play as one stream', () => {
  // Backwards: each request finds the segments after it cached (the read-ahead has nothing to
  // do), so every segment is made by its own encode.
  const backwards = (n: number) => Array.from({ length: n }, (_, i) => n - 1 - i)
  const inOrder = (n: number) => Array.from({ length: n }, (_, i) => i)
  for (const kbps of [24, 96, 160, 320]) {
    it(`aac-${kbps}: decoded duration within 50 ms; no gap, no repeat, no click at any boundary`, async () => {
      const { decoded, boundaries } = await decodeRung(3, kbps, backwards)
      expect(Math.abs(decoded.length / 44100 - SECONDS)).toBeLessThan(0.05)
      // The reference: the same audio whose ladder was made by one encode per rung, served by the
      // same routes — what the boundaries sound like with no joins.
      await f.audio.enqueueLadder({ id: '4', path: f.tracks.get(4)?.path as string })
      const oneRun = measureJoins((await decodeRung(4, kbps, inOrder)).decoded, reference, boundaries)
      const joined = measureJoins(decoded, reference, boundaries)
      // What remains is the encoder's final padding, under one frame.
      expect(joined.lengthDifference).toBeGreaterThanOrEqual(0)
      expect(joined.lengthDifference).toBeLessThan(1024)
      // A gap or a repeat would shift everything after a boundary by whole frames.
      for (const lag of joined.lags) expect(Math.abs(lag)).toBeLessThanOrEqual(1)
      // The audio domain's bound (src/audio/README.md): a click would be many times the error one
      // uninterrupted encode has in the same window.
      joined.boundaryErrors.forEach((error, i) => {
        expect(error).toBeLessThan(2.5 * Math.max(oneRun.boundaryErrors[i] as number, joined.typicalError))
      })
    })
  }
})

describe('seeking into a cold track', () => {
  it('makes the segment at 75% (and the read-ahead after it) without transcoding the rest', async () => {
    const { parsed } = await masterOf(2)
    // The play call warmed the start rung; seek on another one, which nothing has touched.
    const level = parsed.levels.find((l) => l.url.includes('/aac-320/'))
    const details = await mediaOf(level?.url as string)
    const source = { id: '2', path: f.tracks.get(2)?.path as string }
    expect((await f.audio.cachedSegments(source, 'aac-320')).some(Boolean)).toBe(false)
    const target = 0.75 * details.totalduration
    const index = details.fragments.findIndex(
      (frag) => frag.start <= target && target < frag.start + frag.duration,
    )
    const t0 = performance.now()
    const segment = await bytesOf(details.fragments[index]?.url as string)
    const ms = performance.now() - t0
    expect(segment.length).toBeGreaterThan(1000)
    await f.audio.idle()
    const cached = await f.audio.cachedSegments(source, 'aac-320')
    const made = cached.flatMap((c, i) => (c ? [i] : []))
    const readAhead = [index + 1, index + 2, index + 3].filter((i) => i < details.fragments.length)
    expect(made).toEqual([index, ...readAhead])
    expect(made.length).toBeLessThan(details.fragments.length / 2)
    process.stdout.write(`seek to 75% of a cold 60 s track: segment ${index} in ${ms.toFixed(0)} ms (WASM)\n`)
  })
})
