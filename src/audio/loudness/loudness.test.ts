import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AudioEngine } from '../engine/types.ts'
import { createWasmEngine } from '../engine/wasm-engine.ts'
import { makeFixture } from '../testing/fixtures.ts'
import {
  albumLoudness,
  type Loudness,
  loudnessJob,
  normalizationGain,
  parseEbur128Summary,
} from './loudness.ts'

setDefaultTimeout(30_000)
let engine: AudioEngine
let dir: string

beforeAll(async () => {
  engine = await createWasmEngine({ workers: 2 })
  dir = mkdtempSync(join(tmpdir(), 'tonearm-loudness-'))
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

const measure = async (path: string) =>
  parseEbur128Summary((await engine.run(loudnessJob({ id: path, path }))).log)

/** A 1 kHz sine at `dbfs` peak on both channels. */
const sine = (name: string, dbfs: number, seconds = 10) =>
  makeFixture(engine, dir, name, {
    seconds,
    expr: `${10 ** (dbfs / 20)}*sin(2*PI*1000*t)|${10 ** (dbfs / 20)}*sin(2*PI*1000*t)`,
  })

test('a stereo 1 kHz sine at −20 dBFS measures −20 LUFS, 0 LU range, −20 dBTP', async () => {
  // BS.1770: a full-scale 1 kHz sine on one channel is −3.01 LKFS (K-weighting is ~0 dB there and
  // the −0.691 offset cancels its +0.691 dB); the same on two channels adds their energy, +3.01.
  const result = await measure(await sine('sine-20.flac', -20))
  expect(Math.abs(result.integratedLufs - -20)).toBeLessThanOrEqual(0.5)
  expect(result.rangeLu).toBeLessThanOrEqual(0.5)
  expect(Math.abs(result.truePeakDbtp - -20)).toBeLessThanOrEqual(0.5)
})

for (const [a, b] of [
  [-16, -22],
  [-12, -30],
]) {
  test(`album loudness of tracks at ${a} and ${b} dBFS matches a measurement of the concatenated album`, async () => {
    const paths = [await sine(`a${a}.flac`, a as number, 8), await sine(`b${b}.flac`, b as number, 8)]
    const tracks = await Promise.all(paths.map(measure))
    const album = albumLoudness(tracks.map((t) => ({ ...t, seconds: 8 })))
    const { log } = await engine.run({
      args: [
        ...['-i', 'a.flac', '-i', 'b.flac', '-filter_complex'],
        '[0:a][1:a]concat=n=2:v=0:a=1,ebur128=peak=true:framelog=verbose',
        ...['-f', 'null', '-'],
      ],
      files: { 'a.flac': paths[0] as string, 'b.flac': paths[1] as string },
    })
    const concatenated = parseEbur128Summary(log)
    expect(Math.abs(album.integratedLufs - concatenated.integratedLufs)).toBeLessThanOrEqual(0.5)
    expect(album.truePeakDbtp).toBe(Math.max(...tracks.map((t) => t.truePeakDbtp)))
  })
}

test('the gain reaches the target unless that would push the true peak over −1 dBTP', () => {
  const quietTrack: Loudness = { integratedLufs: -20, rangeLu: 5, truePeakDbtp: -10 }
  expect(normalizationGain(quietTrack, undefined)).toEqual({
    gainDb: 6,
    peakLimited: false,
    basis: 'ebur128',
  })
  const peaky: Loudness = { integratedLufs: -20, rangeLu: 12, truePeakDbtp: -3 }
  expect(normalizationGain(peaky, undefined)).toEqual({ gainDb: 2, peakLimited: true, basis: 'ebur128' })
  const hot: Loudness = { integratedLufs: -8, rangeLu: 4, truePeakDbtp: 0.5 }
  expect(normalizationGain(hot, undefined, { targetLufs: -14, peakCeilingDbtp: -1 }).gainDb).toBe(-6)
})

test('ReplayGain tags stand in until the track is measured, and a measurement wins over them', () => {
  // RG gain −4 dB means the track is 4 dB louder than −18 LUFS: −14 LUFS, already on target.
  expect(normalizationGain(undefined, { gainDb: -4 })).toEqual({
    gainDb: 0,
    peakLimited: false,
    basis: 'replaygain',
  })
  // A +6 dB ReplayGain on a track peaking at 0.5 (−6 dBFS) would reach +0 dBFS: held at −1 dBTP.
  expect(normalizationGain(undefined, { gainDb: 6, peak: 0.5 })).toMatchObject({
    peakLimited: true,
    basis: 'replaygain',
  })
  const measured: Loudness = { integratedLufs: -16, rangeLu: 6, truePeakDbtp: -6 }
  expect(normalizationGain(measured, { gainDb: -10 }).basis).toBe('ebur128')
  expect(normalizationGain(undefined, undefined)).toEqual({ gainDb: 0, peakLimited: false, basis: 'none' })
})
