import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { AudioEngineError, FfmpegError } from './errors.ts'
import { createNativeEngine, detectNativeFfmpeg } from './native-engine.ts'
import { ascii, rejection, sineToFlac } from './test-support.ts'
import type { AudioEngine } from './types.ts'

// CI machines have no system ffmpeg; these tests only run where one is installed.
const found = await detectNativeFfmpeg()

test('detectNativeFfmpeg returns null for a missing binary', async () => {
  expect(await detectNativeFfmpeg('/nonexistent/ffmpeg')).toBeNull()
  expect(await detectNativeFfmpeg('tonearm-no-such-ffmpeg')).toBeNull()
})

describe.skipIf(!found)('native audio engine', () => {
  let engine: AudioEngine

  beforeAll(() => {
    if (!found) throw new Error('unreachable: suite is skipped without ffmpeg')
    engine = createNativeEngine({ ...found, workers: 2 })
  })

  afterAll(() => engine.close())

  test('detects the ffmpeg on PATH with its version', () => {
    expect(found?.path).toStartWith('/')
    expect(engine.kind).toBe('native')
    expect(engine.version).toBe(`ffmpeg ${found?.version} (native)`)
  })

  test('generates one second of sine into FLAC', async () => {
    const { outputs } = await engine.run(sineToFlac('sine.flac'))
    expect(ascii(outputs['sine.flac'])).toBe('fLaC')
  })

  test('reads inputs and returns outputs through a temp dir', async () => {
    const input = (await engine.run(sineToFlac('in.flac'))).outputs['in.flac']
    if (!input) throw new Error('no FLAC produced')
    const { outputs } = await engine.run({
      args: ['-i', 'in.flac', '-c:a', 'libopus', '-b:a', '96k', 'out.ogg'],
      inputs: { 'in.flac': input },
      outputs: ['out.ogg'],
    })
    expect(ascii(outputs['out.ogg'])).toBe('OggS')
  })

  test('an output streams out through stdout while ffmpeg writes it', async () => {
    const chunks: Uint8Array[] = []
    await engine.run({
      args: [
        '-f',
        'lavfi',
        '-i',
        'sine=duration=20',
        '-c:a',
        'libopus',
        '-b:a',
        '64k',
        '-f',
        'ogg',
        'live.ogg',
      ],
      stream: { output: 'live.ogg', onData: (chunk) => chunks.push(chunk) },
    })
    expect(chunks.length).toBeGreaterThan(1)
    expect(ascii(Buffer.concat(chunks))).toBe('OggS')
  })

  test('a failing command rejects with the log tail', async () => {
    const error = await rejection(engine.run({ args: ['-i', 'missing.wav', 'out.flac'] }))
    if (!(error instanceof FfmpegError)) throw error
    expect(error.exitCode).toBe(1)
    expect(error.message).toContain('missing.wav: No such file or directory')
  })

  test('concurrent jobs all complete', async () => {
    const results = await Promise.all([220, 330, 440].map((f, i) => engine.run(sineToFlac(`c${i}.flac`, f))))
    expect(results.map(({ outputs }, i) => ascii(outputs[`c${i}.flac`]))).toEqual(results.map(() => 'fLaC'))
  })

  test('aborting kills the process', async () => {
    const long = engine.run({
      args: ['-re', '-f', 'lavfi', '-i', 'sine=duration=60', 'long.flac'],
      signal: AbortSignal.timeout(200),
    })
    expect(await rejection(long)).toHaveProperty('name', 'TimeoutError')
  })

  test('close() kills running jobs and rejects later ones', async () => {
    if (!found) return
    const own = createNativeEngine({ ...found, workers: 1 })
    const running = rejection(own.run({ args: ['-re', '-f', 'lavfi', '-i', 'sine=duration=60', 'x.flac'] }))
    const queued = rejection(own.run(sineToFlac('y.flac')))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await own.close()
    expect(await running).toBeInstanceOf(AudioEngineError)
    expect(String(await queued)).toContain('audio engine is closed')
    expect(String(await rejection(own.run(sineToFlac('z.flac'))))).toContain('audio engine is closed')
  })
})
