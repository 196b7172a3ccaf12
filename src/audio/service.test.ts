import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { openDatabase, type Sqlite } from '../db/index.ts'
import { createNativeEngine, detectNativeFfmpeg } from './engine/native-engine.ts'
import type { AudioEngine } from './engine/types.ts'
import { createWasmEngine } from './engine/wasm-engine.ts'
import type { Codec } from './ladder/profiles.ts'
import { DEFAULT_GAIN } from './loudness/loudness.ts'
import { type AudioService, createAudioService } from './service.ts'
import type { Source } from './source.ts'
import { decodePcm, denseMix, makeFixture, probeAudio } from './testing/fixtures.ts'

setDefaultTimeout(120_000)

const SECONDS = 12

let engine: AudioEngine
let sqlite: Sqlite
let dir: string
let audio: AudioService
let source: Source
const registry = new Registry()

beforeAll(async () => {
  engine = await createWasmEngine({ workers: 2 })
  dir = mkdtempSync(join(tmpdir(), 'tonearm-audio-service-'))
  sqlite = await openDatabase(dir)
  audio = await createAudioService({
    engine,
    db: sqlite.db,
    cacheDir: join(dir, 'cache', 'audio'),
    cacheMaxBytes: 200e6,
    registry,
    concurrency: 1,
    timing: { segmentSeconds: 4, firstSegmentSeconds: 2 },
    rungsKbps: [24, 96, 160, 320],
    gain: DEFAULT_GAIN,
  })
  source = {
    id: 'dense',
    path: await makeFixture(engine, dir, 'dense.flac', { seconds: SECONDS, lavfi: denseMix(SECONDS) }),
  }
})

afterAll(async () => {
  await audio.close()
  await engine.close()
  sqlite.close()
  rmSync(dir, { recursive: true, force: true })
})

/** tfdt and sample count of a media segment: where it sits on the track timeline and how long it is. */
function fragmentTiming(bytes: Uint8Array): { decodeTime: number; frames: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const find = (type: string) => {
    const at = Buffer.from(bytes).indexOf(type)
    if (at < 0) throw new Error(`no ${type} box`)
    return at + 4
  }
  const tfdt = find('tfdt')
  const trun = find('trun')
  return {
    decodeTime: Number(view.getBigUint64(tfdt + 4)),
    frames: view.getUint32(trun + 4),
  }
}

async function joinedRung(profileId: string): Promise<{ path: string; segments: Uint8Array[] }> {
  const info = await audio.describe(source)
  const init = readFileSync((await audio.getInit(source, profileId)).path)
  const count = info.hls[0]?.segmentDurations.length ?? 0
  const segments = await Promise.all(
    Array.from({ length: count }, async (_, i) =>
      readFileSync((await audio.getSegment(source, profileId, i)).path),
    ),
  )
  const path = join(dir, `${profileId}.mp4`)
  writeFileSync(path, Buffer.concat([init, ...segments]))
  return { path, segments }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = []
  const reader = stream.getReader()
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value)
  return chunks
}

const within = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance)

describe('HLS rungs', () => {
  for (const kbps of [24, 96, 160, 320]) {
    test(`aac-${kbps}: decodes as AAC at ±15% of ${kbps} kbps, with the source's duration ±100 ms`, async () => {
      const { path, segments } = await joinedRung(`aac-${kbps}`)
      const probe = await probeAudio(engine, path)
      expect(probe.codec).toBe('aac')
      expect(probe.channels).toBe(kbps < 48 ? 1 : 2)
      const seconds = (await decodePcm(engine, path)).length / 44100
      within(seconds, SECONDS, 0.1)
      const bits = segments.reduce((n, s) => n + s.length, 0) * 8
      within(bits / SECONDS / 1000, kbps, kbps * 0.15)
    })
  }

  test('segment boundaries are the same samples in every rung', async () => {
    const info = await audio.describe(source)
    const timelines = await Promise.all(
      info.hls.map(async (rung) => (await joinedRung(rung.profile.id)).segments.map(fragmentTiming)),
    )
    for (const timeline of timelines.slice(1)) expect(timeline).toEqual(timelines[0] as typeof timeline)
    expect(new Set(info.hls.map((r) => JSON.stringify(r.segmentDurations))).size).toBe(1)
    expect(info.hls.map((r) => r.codecs)).toEqual(['mp4a.40.2', 'mp4a.40.2', 'mp4a.40.2', 'mp4a.40.2'])
  })
})

describe('single-file renditions', async () => {
  const native = await detectNativeFfmpeg()
  const expected: Record<Codec, string> = { aac: 'aac', mp3: 'mp3', vorbis: 'vorbis', opus: 'opus' }
  for (const codec of ['aac', 'mp3', 'vorbis'] as const) {
    for (const kbps of [24, 96, 160, 320]) {
      test(`${codec}-${kbps}: right codec, ±15% bitrate, source duration ±100 ms`, async () => {
        const file = await audio.getRendition(source, `${codec}-${kbps}`)
        const probe = await probeAudio(engine, file.path)
        expect(probe.codec).toBe(expected[codec])
        within((file.size * 8) / SECONDS / 1000, kbps, kbps * 0.15)
        within((await decodePcm(engine, file.path)).length / 44100, SECONDS, 0.1)
      })
    }
  }
  test('Opus is not offered by the WASM engine, whose libopus crashes on 48 kHz', () => {
    expect(audio.ladder.files.some((p) => p.codec === 'opus')).toBe(false)
  })

  test.skipIf(!native)('with native ffmpeg, Opus renditions are offered and right', async () => {
    if (!native) return
    const nativeEngine = createNativeEngine({ ...native, workers: 2 })
    const nativeDir = mkdtempSync(join(tmpdir(), 'tonearm-audio-native-'))
    const db = await openDatabase(nativeDir)
    const withOpus = await createAudioService({
      engine: nativeEngine,
      db: db.db,
      cacheDir: join(nativeDir, 'cache'),
      cacheMaxBytes: 50e6,
      registry: new Registry(),
      concurrency: 1,
      timing: { segmentSeconds: 4, firstSegmentSeconds: 2 },
      rungsKbps: [96],
      gain: DEFAULT_GAIN,
    })
    try {
      const file = await withOpus.getRendition(source, 'opus-96')
      expect((await probeAudio(engine, file.path)).codec).toBe(expected.opus)
      within((file.size * 8) / SECONDS / 1000, 96, 96 * 0.15)
      within((await decodePcm(engine, file.path)).length / 44100, SECONDS, 0.1)
    } finally {
      await withOpus.close()
      await nativeEngine.close()
      db.close()
      rmSync(nativeDir, { recursive: true, force: true })
    }
  })
})

test('a seek to 75% of a never-transcoded track produces that segment, not the ones before it', async () => {
  const path = join(dir, 'cold.flac')
  copyFileSync(source.path, path)
  const cold: Source = { id: 'cold', path }
  const count = (await audio.describe(cold)).hls[0]?.segmentDurations.length ?? 0
  const index = Math.floor(count * 0.75)
  const segment = await audio.getSegment(cold, 'aac-160', index)
  expect(fragmentTiming(readFileSync(segment.path)).frames).toBeGreaterThan(0)
  // The segment itself and nothing before it; read-ahead then fills in the ones after.
  const cached = await audio.cachedSegments(cold, 'aac-160')
  expect(cached.slice(0, index + 1)).toEqual([...Array(index).fill(false), true])
})

for (const [profileId, mime] of [
  ['mp3-160', 'audio/mpeg'],
  ['vorbis-96', 'audio/ogg'],
  ['aac-96', 'audio/aac'],
]) {
  test(`a transcoded ${profileId} stream starts at a time offset`, async () => {
    const { stream, mimeType, extension } = await audio.transcodeFrom(source, profileId as string, 8)
    expect(mimeType).toBe(mime as string)
    const chunks = await readAll(stream)
    const path = join(dir, `offset.${extension}`)
    writeFileSync(path, Buffer.concat(chunks))
    within((await decodePcm(engine, path)).length / 44100, SECONDS - 8, 0.1)
  })
}

test('cancelling a transcoded stream stops the encode and leaves the engine usable', async () => {
  const { stream } = await audio.transcodeFrom(source, 'vorbis-320', 0)
  const reader = stream.getReader()
  await reader.read()
  await reader.cancel(new Error('client went away'))
  const { stream: next } = await audio.transcodeFrom(source, 'mp3-96', 10)
  const bytes = (await readAll(next)).reduce((n, c) => n + c.length, 0)
  expect(bytes).toBeGreaterThan(0)
})

test('a changed file gets a new fingerprint, so nothing cached for the old version is served', async () => {
  const path = join(dir, 'edited.flac')
  copyFileSync(source.path, path)
  const before = (await audio.describe({ id: 'e', path })).fingerprint
  utimesSync(path, new Date(), new Date(Date.now() + 5000))
  expect((await audio.describe({ id: 'e', path })).fingerprint).not.toBe(before)
})

test('a player asking for the next segment joins the read-ahead job instead of encoding it again', async () => {
  const path = join(dir, 'sequential.flac')
  copyFileSync(source.path, path)
  const track: Source = { id: 'sequential', path }
  const segmentJobs = async () =>
    [
      ...(await registry.metrics()).matchAll(
        /tonearm_audio_job_duration_seconds_count\{kind="segments"[^}]*\} (\d+)/g,
      ),
    ]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0)
  await audio.idle()
  const before = await segmentJobs()
  await audio.getSegment(track, 'aac-96', 0)
  await audio.getSegment(track, 'aac-96', 1)
  await audio.idle()
  // 12 s make segments 0–3 (2 s, then 4 s each): 0 on demand, 1–3 read ahead in one job that the
  // request for segment 1 joined rather than encoding segment 1 a second time.
  expect((await segmentJobs()) - before).toBe(2)
  expect(await audio.cachedSegments(track, 'aac-96')).toEqual([true, true, true, true])
})

test('bad requests are domain errors the HTTP layer turns into 4xx', async () => {
  const kind = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: { kind?: string }) => e.kind,
    )
  expect(await kind(audio.getSegment(source, 'aac-999', 0))).toBe('not_found')
  expect(await kind(audio.getSegment(source, 'aac-96', 10_000))).toBe('not_found')
  expect(await kind(audio.getSegment(source, 'aac-96', -1))).toBe('not_found')
  expect(await kind(audio.getRendition(source, 'flac-96'))).toBe('not_found')
  expect(await kind(audio.transcodeFrom(source, 'mp3-96', 1e9))).toBe('invalid')
})
