// Background audio work over a scanned library, in process: real catalog and scanner, real SQLite,
// the real WASM engine and queue. Loudness shows up in the catalog's answers as analysis lands;
// ReplayGain tags stand in until then.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import type { AudioEngine } from '../src/audio/engine/types.ts'
import { createWasmEngine } from '../src/audio/engine/wasm-engine.ts'
import { type AudioService, createAudioService, createLibraryWork } from '../src/audio/index.ts'
import { makeFixture } from '../src/audio/testing/fixtures.ts'
import { libraryQueries } from '../src/compose/parts.ts'
import { testEvents } from '../src/events/test-support.ts'
import { createLogger } from '../src/lib/logger.ts'
import { catalogFor } from './helpers/catalog.ts'
import { removeDir, tempDir } from './helpers/server.ts'

setDefaultTimeout(120_000)

let engine: AudioEngine
let music: string
let lib: Awaited<ReturnType<typeof catalogFor>>
const services: AudioService[] = []

/** A stereo 1 kHz sine peaking at `dbfs`: BS.1770 measures it at `dbfs` LUFS. */
const sine = (dbfs: number) => `${10 ** (dbfs / 20)}*sin(2*PI*1000*t)|${10 ** (dbfs / 20)}*sin(2*PI*1000*t)`
const tags = (title: string, no: number, more: string[] = []) =>
  [
    ...['-metadata', `title=${title}`, '-metadata', 'album=Levels', '-metadata', 'artist=Meter'],
    ...['-metadata', `track=${no}`, ...more],
  ] as string[]

beforeAll(async () => {
  engine = await createWasmEngine({ workers: 2 })
  music = tempDir()
  mkdirSync(join(music, 'Levels'))
  // Tagged as if a ReplayGain scanner had found it 2 dB quieter than its real −20 LUFS would say.
  await makeFixture(engine, join(music, 'Levels'), '01.flac', {
    seconds: 8,
    expr: sine(-20),
    extra: tags('Quiet', 1, [
      ...['-metadata', 'REPLAYGAIN_TRACK_GAIN=+0.00 dB', '-metadata', 'REPLAYGAIN_TRACK_PEAK=0.100000'],
      ...['-metadata', 'REPLAYGAIN_ALBUM_GAIN=-3.00 dB', '-metadata', 'REPLAYGAIN_ALBUM_PEAK=0.251189'],
    ]),
  })
  await makeFixture(engine, join(music, 'Levels'), '02.flac', {
    seconds: 8,
    expr: sine(-12),
    extra: tags('Loud', 2),
  })
  lib = await catalogFor([music])
  await lib.rescan()
})
afterAll(async () => {
  for (const s of services) await s.close()
  await engine.close()
  await lib.close()
  removeDir(music)
})

async function audioService(cacheMaxBytes = 1e9): Promise<AudioService> {
  const audio = await createAudioService({
    engine,
    db: lib.sqlite.db,
    cacheDir: join(lib.data, 'cache', `audio-${services.length}`),
    cacheMaxBytes,
    registry: new Registry(),
    concurrency: 1,
    timing: { segmentSeconds: 6, firstSegmentSeconds: 2 },
    rungsKbps: [96],
    gain: { targetLufs: -14, peakCeilingDbtp: -1 },
  })
  services.push(audio)
  return audio
}

const track = (title: string) => {
  const found = lib.catalog.listTracks({ limit: 500 }).items.find((t) => t.title === title)
  if (!found) throw new Error(`no track ${title}`)
  return found
}
const sourceOf = (title: string) => {
  const id = String(track(title).id)
  const source = lib.catalog.library().find((s) => s.id === id)
  if (!source) throw new Error(`no source for ${title}`)
  return source
}

test('before analysis ReplayGain tags give the gain, after it EBU R128 does; the album gain follows', async () => {
  // RG +0 dB: the tags say −18 LUFS, so −14 needs +4 dB; the tagged peak (0.1 = −20 dBFS) allows it.
  expect(track('Quiet').loudness).toEqual({
    basis: 'replaygain',
    gainDb: 4,
    peakLimited: false,
    integratedLufs: null,
    rangeLu: null,
    truePeakDbtp: null,
  })
  expect(track('Loud').loudness).toMatchObject({ basis: 'none', gainDb: 0, integratedLufs: null })
  const albumId = track('Quiet').albumId
  expect(lib.catalog.getAlbum(albumId).loudness).toMatchObject({ basis: 'replaygain', gainDb: 1 })

  const audio = await audioService()
  const registry = new Registry()
  const reports: unknown[] = []
  const work = createLibraryWork({
    audio,
    library: libraryQueries(lib.catalog),
    eagerLadders: true,
    cacheMaxBytes: 1e9,
    rungsKbps: [96],
    registry,
    report: (s) => reports.push(s),
  })
  work.schedule()
  await work.settled()

  const quiet = track('Quiet').loudness
  expect(quiet.basis).toBe('ebur128')
  expect(Math.abs((quiet.integratedLufs as number) - -20)).toBeLessThanOrEqual(0.5)
  expect(Math.abs(quiet.gainDb - 6)).toBeLessThanOrEqual(0.5)
  const loud = lib.catalog.getTrack(track('Loud').id).loudness
  expect(Math.abs((loud.integratedLufs as number) - -12)).toBeLessThanOrEqual(0.5)
  expect(Math.abs(loud.gainDb - -2)).toBeLessThanOrEqual(0.5)
  // Two equally long tracks at −20 and −12 LUFS: their energy mean, 10·log10((10^−2 + 10^−1.2) / 2).
  const album = lib.catalog.getAlbum(albumId).loudness
  expect(album.basis).toBe('ebur128')
  expect(album.analysedTracks).toBe(2)
  expect(Math.abs((album.integratedLufs as number) - 10 * Math.log10((0.01 + 10 ** -1.2) / 2))).toBeLessThan(
    0.5,
  )
  // The play call's gain (the service's own answer) agrees with what the catalog shows.
  expect((await audio.playbackGain(sourceOf('Quiet'))).basis).toBe('ebur128')

  // Both tracks were added just now: their whole ladders were built in the background.
  for (const title of ['Quiet', 'Loud'])
    expect((await audio.cachedSegments(sourceOf(title), 'aac-96')).every(Boolean)).toBe(true)
  expect(work.progress()).toMatchObject({
    running: false,
    loudness: { done: 2, failed: 0, remaining: 0 },
    ladders: { done: 2, failed: 0, planned: 2, overBudget: 0 },
  })
  expect(reports.at(-1)).toMatchObject({ status: 'ok', eagerLadders: true })
  expect(await registry.metrics()).toContain('tonearm_audio_library_tracks{work="loudness",state="done"} 2')

  // A second round finds nothing to measure and nothing to build.
  const jobsBefore = audio.stats().done
  work.schedule()
  await work.settled()
  expect(audio.stats().done).toBe(jobsBefore)
})

test('eager ladders stay within their share of the cache, and can be turned off', async () => {
  // 8 s at 96 kbps is ~96 kB per track; half of a 150 kB cache holds none... of 250 kB, one.
  const small = await audioService(250_000)
  const budgeted = createLibraryWork({
    audio: small,
    library: libraryQueries(lib.catalog),
    eagerLadders: true,
    cacheMaxBytes: 250_000,
    rungsKbps: [96],
  })
  budgeted.schedule()
  await budgeted.settled()
  expect(budgeted.progress().ladders).toMatchObject({ planned: 1, overBudget: 1, done: 1 })

  const lazy = await audioService()
  const off = createLibraryWork({
    audio: lazy,
    library: libraryQueries(lib.catalog),
    eagerLadders: false,
    cacheMaxBytes: 1e9,
    rungsKbps: [96],
  })
  off.schedule()
  await off.settled()
  expect(off.progress().ladders).toMatchObject({ planned: 0, done: 0 })
  expect((await lazy.cachedSegments(sourceOf('Loud'), 'aac-96')).some(Boolean)).toBe(false)
})

test('the most played tracks come from the events pipeline, unplayed ones never; recent ones newest first', async () => {
  // Real listening through the real events log and its plays consumer, resolved by the catalog.
  const events = testEvents(
    { dir: lib.data, sqlite: lib.sqlite, catalog: { resolveTrack: () => null, add() {} }, cleanup() {} },
    { resolveTrack: lib.catalog.listeningTrack },
  )
  const loud = String(track('Loud').id)
  const quiet = String(track('Quiet').id)
  const at = Date.now()
  const listen = (trackId: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'play_ended' as const,
      eventId: `listen-${trackId}-${i}`,
      deviceId: 'phone',
      clientTime: at - i * 60_000,
      trackId,
      heardMs: 7_000,
    }))
  events.ingest(1, [...listen(loud, 3), ...listen(quiet, 1)], 'api')
  events.start()
  const queries = libraryQueries(lib.catalog)
  const deadline = Date.now() + 10_000
  while (queries.mostPlayed(10).length < 2 && Date.now() < deadline) await Bun.sleep(20)
  await events.stop()
  expect(queries.mostPlayed(10).map((s) => s.id)).toEqual([loud, quiet])
  expect(queries.mostPlayed(1).map((s) => s.id)).toEqual([loud])
  // Both were added by one scan; ties in time fall back to the newer id.
  expect(queries.recent(1)).toHaveLength(1)
  expect(
    queries
      .recent(10)
      .map((s) => s.id)
      .sort(),
  ).toEqual([loud, quiet].sort())
  const artist = lib.catalog.getTrack(Number(loud)).artists[0]?.id as number
  expect(
    lib.catalog
      .library({ artistId: artist })
      .map((s) => s.id)
      .sort(),
  ).toEqual([loud, quiet].sort())
  expect(queries.counts()).toEqual({ tracks: 2, unmeasured: 0 })
})

test('files gone since the scan (a disk not mounted) are one warning per round, and measured once back', async () => {
  await makeFixture(engine, join(music, 'Levels'), '03.flac', {
    seconds: 4,
    expr: sine(-16),
    extra: tags('Away', 3),
  })
  await lib.rescan()
  const away = join(music, 'Levels', '03.flac')
  renameSync(away, `${away}.unmounted`)
  const lines: { level: string; msg: string; tracks?: number }[] = []
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) })
  const audio = await audioService()
  const work = createLibraryWork({
    audio,
    library: libraryQueries(lib.catalog),
    eagerLadders: false,
    cacheMaxBytes: 1e9,
    rungsKbps: [96],
    logger,
  })
  try {
    work.schedule()
    await work.settled()
    expect(work.progress().loudness).toMatchObject({ failed: 1 })
    const warnings = lines.filter((l) => l.level === 'warn')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ tracks: 1 })
    expect(warnings[0]?.msg).toContain('files are missing')
    expect(track('Away').loudness.basis).toBe('none')
  } finally {
    renameSync(`${away}.unmounted`, away)
  }
  work.schedule()
  await work.settled()
  expect(track('Away').loudness.basis).toBe('ebur128')
  expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1)
})
