import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { AudioEngine } from '../engine/types.ts'
import { createWasmEngine } from '../engine/wasm-engine.ts'
import { buildLadder, type Profile } from '../ladder/profiles.ts'
import { describeSource, type SourceInfo } from '../source.ts'
import { decodePcm, makeFixture } from '../testing/fixtures.ts'
import { measureJoins } from '../testing/joins.ts'
import { encodeSegments } from './encode.ts'
import { AAC_FRAME, initSegment } from './fmp4.ts'
import { planSegments, segmentCount } from './plan.ts'

setDefaultTimeout(60_000)

let engine: AudioEngine
let dir: string
let info: SourceInfo
let reference: Float32Array
const SECONDS = 14
const timing = { segmentSeconds: 4, firstSegmentSeconds: 2 }

beforeAll(async () => {
  engine = await createWasmEngine({ workers: 2 })
  dir = mkdtempSync(join(tmpdir(), 'tonearm-segments-'))
  const path = await makeFixture(engine, dir, 'music.flac', { seconds: SECONDS })
  info = await describeSource({ id: 't1', path })
  reference = await decodePcm(engine, path)
})

afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Produces every segment of `profile` one job at a time in `order`, joins them behind the init, decodes. */
async function joinedDecode(
  profile: Profile,
  order: number[],
  preroll?: number,
  from: SourceInfo = info,
): Promise<Float32Array> {
  const info = from
  const plan = planSegments(44100, info.totalSamples, timing)
  const segments = new Map<number, Uint8Array>()
  const ranges =
    order[0] === -1 ? [{ first: 0, last: segmentCount(plan) - 1 }] : order.map((i) => ({ first: i, last: i }))
  await Promise.all(
    ranges.map(async (range) => {
      const encode = encodeSegments(info, plan, profile, range, preroll)
      const { outputs } = await engine.run(encode.job)
      for (const [i, bytes] of encode.split(outputs['out.aac'] as Uint8Array)) segments.set(i, bytes)
    }),
  )
  const init = initSegment({
    sampleRate: plan.sampleRate,
    channels: profile.channels,
    bitrate: profile.bitrateKbps * 1000,
    priming: AAC_FRAME,
    totalSamples: plan.totalSamples,
  })
  const parts = [
    init,
    ...[...segments.keys()].sort((a, b) => a - b).map((i) => segments.get(i) as Uint8Array),
  ]
  const path = join(
    dir,
    `${profile.id}-${preroll ?? 'default'}-${order.length}-${basename(info.source.path)}.mp4`,
  )
  writeFileSync(path, Buffer.concat(parts))
  return decodePcm(engine, path)
}

test('the plan puts every boundary on the AAC frame grid, with a short first segment and no sliver at the end', () => {
  const plan = planSegments(44100, 44100 * 20 + 300, timing)
  expect(plan.starts[0]).toBe(0)
  expect(plan.starts.every((s) => s % AAC_FRAME === 0)).toBe(true)
  expect(Math.abs((plan.starts[1] as number) / 44100 - 2)).toBeLessThan(AAC_FRAME / 44100)
  // 2, 6, 10, 14, 18 s; a segment at 22 s would start past the end.
  expect(plan.starts.length).toBe(6)
  expect(planSegments(44100, 44100 * 18 + 500, timing).starts.length).toBe(5)
})

describe('segments produced independently and out of order join seamlessly', () => {
  const boundaries = () => planSegments(44100, info.totalSamples, timing).starts.slice(1)
  const order = () => {
    const n = segmentCount(planSegments(44100, info.totalSamples, timing))
    return [n - 1, 0, ...Array.from({ length: n - 2 }, (_, i) => n - 2 - i)]
  }

  for (const profile of buildLadder([24, 96, 160, 320], { native: false }).hls) {
    test(`${profile.id}: no gap, no repeat, no click at any boundary; duration within 50 ms`, async () => {
      const decoded = await joinedDecode(profile, order())
      const report = measureJoins(decoded, reference, boundaries())
      // The same rung encoded in one run: what the boundary windows sound like with no joins at all.
      const whole = measureJoins(await joinedDecode(profile, [-1]), reference, boundaries())
      // What remains is the encoder's final padding, under one frame.
      expect(report.lengthDifference).toBeGreaterThanOrEqual(0)
      expect(report.lengthDifference).toBeLessThan(AAC_FRAME)
      // A gap or a repeat would shift everything after a boundary by whole frames; ±1 sample is
      // the estimator's own uncertainty on a transient coded at a low rate.
      for (const lag of report.lags) expect(Math.abs(lag)).toBeLessThanOrEqual(1)
      report.boundaryErrors.forEach((error, i) => {
        expect(error).toBeLessThan(2.5 * Math.max(whole.boundaryErrors[i] as number, report.typicalError))
      })
    })
  }

  test('the check above is sharp: without pre-roll the same joins click', async () => {
    // At low rungs coding noise is as large as a naive join's error; at 320 kbps the click stands out.
    const profile = buildLadder([320], { native: false }).hls[0] as Profile
    const report = measureJoins(await joinedDecode(profile, order(), 0), reference, boundaries())
    const whole = measureJoins(await joinedDecode(profile, [-1]), reference, boundaries())
    const worst = Math.max(...report.boundaryErrors.map((e, i) => e / (whole.boundaryErrors[i] as number)))
    expect(worst).toBeGreaterThan(2.5)
  })
})

describe('cutting lossy sources is sample-exact too', () => {
  const formats: [string, string[]][] = [
    ['mp3', ['-c:a', 'libmp3lame', '-b:a', '256k']],
    ['m4a', ['-c:a', 'aac', '-b:a', '256k']],
    ['ogg', ['-c:a', 'libvorbis', '-q:a', '6']],
  ]
  for (const [extension, codec] of formats) {
    test(`${extension}: segments made one by one equal a whole-track encode at every boundary`, async () => {
      const path = await makeFixture(engine, dir, `music.${extension}`, { seconds: SECONDS, extra: codec })
      const lossy = await describeSource({ id: extension, path })
      const decodedSource = await decodePcm(engine, path)
      const profile = buildLadder([320], { native: false }).hls[0] as Profile
      // The plan comes from the header's duration, which for MP3 includes the encoder's padding.
      const plan = planSegments(44100, lossy.totalSamples, timing)
      const order = Array.from({ length: segmentCount(plan) }, (_, i) => i).reverse()
      const starts = plan.starts.slice(1)
      const joined = measureJoins(await joinedDecode(profile, order, undefined, lossy), decodedSource, starts)
      const whole = measureJoins(await joinedDecode(profile, [-1], undefined, lossy), decodedSource, starts)
      expect(joined.lags).toEqual(starts.map(() => 0))
      joined.boundaryErrors.forEach((error, i) => {
        expect(error).toBeLessThanOrEqual(1.5 * (whole.boundaryErrors[i] as number))
      })
      expect(Math.abs(joined.lengthDifference)).toBeLessThan(AAC_FRAME)
    })
  }
})
