import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseFile } from 'music-metadata'
import { type AudioEngine, createAudioEngine } from '../audio/index.ts'
import { DEMO_VERSION, generateDemoLibrary, planDemoLibrary } from './index.ts'
import { isComplete, readMarker } from './marker.ts'

const GENERATION_TIMEOUT_MS = 120_000

const CODECS = { flac: 'FLAC', mp3: 'MPEG 1 Layer 3', ogg: 'Vorbis I', m4a: 'MPEG-4/AAC' } as const

let engine: AudioEngine
let destDir: string
let result: { created: boolean; files: string[] }
const progress: [number, number, string][] = []

beforeAll(async () => {
  // Fixtures come from the project's own WASM engine, never from a system ffmpeg.
  engine = await createAudioEngine({ engine: 'wasm' })
  destDir = await mkdtemp(join(tmpdir(), 'tonearm-demo-test-'))
  result = await generateDemoLibrary(engine, destDir, {
    onProgress: (done, total, file) => progress.push([done, total, file]),
  })
}, GENERATION_TIMEOUT_MS)

afterAll(async () => {
  await engine.close()
  await rm(destDir, { recursive: true, force: true })
})

const plan = planDemoLibrary()
const tracks = plan.filter((file) => file.kind === 'track')

test('the library has 3 artists, 4 albums (one 2-disc, one compilation) and ~12 tracks of 4–8 s', () => {
  expect(new Set(tracks.map((file) => file.track.artist)).size).toBe(3)
  expect(new Set(tracks.map((file) => file.album)).size).toBe(4)
  expect(tracks.some((file) => file.tags.discTotal === 2)).toBe(true)
  expect(tracks.some((file) => file.tags.compilation && file.tags.albumArtist === 'Various Artists')).toBe(
    true,
  )
  expect(tracks.length).toBeGreaterThanOrEqual(12)
  for (const file of tracks) expect(file.track.duration).toBeWithin(4, 8.001)
  expect(new Set(tracks.map((file) => file.album.format))).toEqual(new Set(['flac', 'mp3', 'ogg', 'm4a']))
})

test('creates every planned file and reports progress once per file', () => {
  expect(result.created).toBe(true)
  expect(result.files).toEqual(plan.map((file) => join(destDir, file.path)))
  expect(progress.map(([done]) => done)).toEqual(plan.map((_, i) => i + 1))
  expect(progress.every(([, total]) => total === plan.length)).toBe(true)
  expect(progress.map(([, , file]) => file).sort()).toEqual([...result.files].sort())
})

test('lays files out as <Album Artist>/<Year> - <Album>/<NN> - <Title>.<ext>', () => {
  const paths = plan.map((file) => file.path)
  expect(paths).toContain('Café Aurora/2019 - Lumière du Soir/02 - Crème Brûlée.flac')
  expect(paths).toContain('Yūki Hoshino/2021 - 夜明けの音/01 - 朝霧 (Asagiri).ogg')
  expect(paths).toContain('Ångström Collective/2023 - Polar Drift/2-01 - Øresund Bridge.mp3')
  expect(paths).toContain('Various Artists/2020 - Tonearm Sampler, Vol. 1/cover.jpg')
})

describe.each(tracks.map((file) => [file.path, file] as const))('%s', (path, file) => {
  test('parses with the written tags, duration, codec and art', async () => {
    const { common, format } = await parseFile(join(destDir, path))
    const { tags } = file
    expect(common.title).toBe(tags.title)
    expect(common.artist).toBe(tags.artist)
    expect(common.album).toBe(tags.album)
    expect(common.albumartist).toBe(tags.albumArtist)
    expect(common.track).toEqual({ no: tags.track, of: tags.trackTotal })
    expect(common.disk).toEqual({ no: tags.disc, of: tags.discTotal })
    expect(common.year).toBe(tags.year)
    expect(common.genre).toEqual([tags.genre])
    if (tags.compilation) expect(common.compilation).toBe(true)
    expect(format.codec).toBe(CODECS[file.album.format])
    expect(format.sampleRate).toBe(44100)
    expect(format.numberOfChannels).toBe(2)
    expect(format.duration ?? 0).toBeWithin(file.track.duration - 0.3, file.track.duration + 0.3)
    const pictures = common.picture ?? []
    if (file.album.format === 'ogg') expect(pictures).toHaveLength(0)
    else expect(pictures.map((picture) => picture.format)).toEqual(['image/jpeg'])
  })
})

test('every album folder has a distinct cover.jpg', async () => {
  const covers = await Promise.all(
    plan.filter((file) => file.kind === 'cover').map((file) => readFile(join(destDir, file.path))),
  )
  expect(covers).toHaveLength(4)
  for (const jpeg of covers) expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
  expect(new Set(covers.map((jpeg) => jpeg.toString('base64'))).size).toBe(4)
})

test('leaves no temporary files behind', async () => {
  const names = await readdir(destDir, { recursive: true })
  expect(names.filter((name) => name.endsWith('.partial'))).toEqual([])
})

test('a second call finds the complete library and does nothing', async () => {
  const calls: string[] = []
  const again = await generateDemoLibrary(engine, destDir, { onProgress: (_d, _t, file) => calls.push(file) })
  expect(again).toEqual({ created: false, files: result.files })
  expect(calls).toEqual([])
})

test(
  'a library with a missing file is generated again, and leftovers of a killed run are removed',
  async () => {
    const victim = result.files.find((file) => file.endsWith('.m4a'))
    if (!victim) throw new Error('no m4a in the demo library')
    await rm(victim)
    const leftover = '.02 - Half Written.m4a.4242.partial'
    await writeFile(join(dirname(victim), leftover), 'half a file')
    const redone = await generateDemoLibrary(engine, destDir)
    expect(redone.created).toBe(true)
    expect((await parseFile(victim)).common.title).toBeTruthy()
    expect(await readdir(dirname(victim))).not.toContain(leftover)
  },
  GENERATION_TIMEOUT_MS,
)

test('a marker from another generator version does not count as complete', async () => {
  const marker = await readMarker(destDir)
  if (!marker) throw new Error('no marker after generation')
  expect(await isComplete(destDir, marker)).toBe(true)
  expect(await isComplete(destDir, { ...marker, version: DEMO_VERSION - 1 })).toBe(false)
})
