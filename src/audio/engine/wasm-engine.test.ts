import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AudioEngineError, FfmpegError } from './errors.ts'
import { ascii, rejection, sineToFlac } from './test-support.ts'
import type { AudioEngine } from './types.ts'
import { createWasmEngine } from './wasm-engine.ts'

// Starting a worker compiles the 32 MB core; replacing crashed ones does it again. On a shared
// machine that alone can take longer than bun's 5 s default.
setDefaultTimeout(60_000)

describe('WASM audio engine', () => {
  let engine: AudioEngine

  beforeAll(async () => {
    engine = await createWasmEngine({ workers: 2 })
  })

  afterAll(() => engine.close())

  test('reports itself as ffmpeg 5.1.4 in WASM', () => {
    expect(engine.kind).toBe('wasm')
    expect(engine.version).toBe('ffmpeg 5.1.4 (wasm)')
  })

  test('generates one second of sine into FLAC', async () => {
    const { outputs, log } = await engine.run(sineToFlac('sine.flac'))
    expect(ascii(outputs['sine.flac'])).toBe('fLaC')
    expect(log.some((line) => line.startsWith('ffmpeg version 5.1.4'))).toBe(true)
  })

  test('reads inputs written into the job and returns the outputs', async () => {
    const { outputs } = await engine.run(sineToFlac('in.flac'))
    const input = outputs['in.flac']
    if (!input) throw new Error('no FLAC produced')
    const { outputs: converted } = await engine.run({
      args: ['-i', 'in.flac', '-c:a', 'libmp3lame', '-b:a', '128k', 'out.mp3'],
      inputs: { 'in.flac': input },
      outputs: ['out.mp3'],
    })
    expect(ascii(converted['out.mp3'], 3)).toBe('ID3')
  })

  test('a failing command rejects with the log tail', async () => {
    const error = await rejection(
      engine.run({ args: ['-i', 'missing.wav', 'out.flac'], outputs: ['out.flac'] }),
    )
    if (!(error instanceof FfmpegError)) throw error
    expect(error.exitCode).toBe(1)
    expect(error.message).toContain('missing.wav: No such file or directory')
    expect(error.log.at(-1)).toContain('No such file or directory')
  })

  test('an output ffmpeg did not write is an error, not an empty result', async () => {
    const error = await rejection(
      engine.run({ ...sineToFlac('written.flac'), outputs: ['written.flac', 'never.flac'] }),
    )
    expect(error).toBeInstanceOf(AudioEngineError)
    expect(String(error)).toContain('did not write never.flac')
  })

  test('concurrent jobs all complete, more of them than workers', async () => {
    const jobs = [220, 330, 440, 550].map((frequency, i) => engine.run(sineToFlac(`c${i}.flac`, frequency)))
    const results = await Promise.all(jobs)
    expect(results.map(({ outputs }, i) => ascii(outputs[`c${i}.flac`]))).toEqual(results.map(() => 'fLaC'))
  })

  test('job files are cleaned up between runs', async () => {
    await engine.run(sineToFlac('left-behind.flac'))
    const probe = await rejection(engine.run({ args: ['-i', 'left-behind.flac', 'copy.flac'] }))
    expect(String(probe)).toContain('left-behind.flac: No such file or directory')
  })

  test('host files are read in place, and a missing one fails the job without harming the worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonearm-lazy-'))
    try {
      const flac = (await engine.run(sineToFlac('host.flac'))).outputs['host.flac']
      if (!flac) throw new Error('no FLAC produced')
      writeFileSync(join(dir, 'host.flac'), flac)
      const { outputs } = await engine.run({
        args: ['-ss', '0.5', '-i', 'in.flac', '-c:a', 'libmp3lame', 'out.mp3'],
        files: { 'in.flac': join(dir, 'host.flac') },
        outputs: ['out.mp3'],
      })
      expect(ascii(outputs['out.mp3'], 3)).toBe('ID3')
      const missing = await rejection(
        engine.run({ args: ['-i', 'in.flac', 'x.mp3'], files: { 'in.flac': join(dir, 'gone.flac') } }),
      )
      expect(missing).toBeInstanceOf(AudioEngineError)
      expect(String(missing)).toContain('gone.flac')
      expect(ascii((await engine.run(sineToFlac('after.flac'))).outputs['after.flac'])).toBe('fLaC')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an output streams out while ffmpeg still writes it', async () => {
    const chunks: Uint8Array[] = []
    const { outputs } = await engine.run({
      args: [
        '-f',
        'lavfi',
        '-i',
        'sine=duration=20',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '128k',
        '-f',
        'mp3',
        'live.mp3',
      ],
      stream: { output: 'live.mp3', onData: (chunk) => chunks.push(chunk) },
    })
    expect(outputs).toEqual({})
    expect(chunks.length).toBeGreaterThan(1)
    const all = Buffer.concat(chunks)
    expect(ascii(all, 3)).toBe('ID3')
    // 20 s at 128 kbps, give or take the header and the last frame.
    expect(Math.abs(all.length - 320_000)).toBeLessThan(10_000)
  })

  test('file names must be bare names', async () => {
    expect(await rejection(engine.run({ args: [], outputs: ['../escape.flac'] }))).toBeInstanceOf(TypeError)
  })

  test('aborting a running job kills its worker, and the engine keeps working', async () => {
    const controller = new AbortController()
    const long = engine.run({
      args: ['-f', 'lavfi', '-i', 'sine=duration=3600', '-c:a', 'flac', 'long.flac'],
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(new Error('listener went away')), 200)
    expect(String(await rejection(long))).toContain('listener went away')
    const { outputs } = await engine.run(sineToFlac('after-abort.flac'))
    expect(ascii(outputs['after-abort.flac'])).toBe('fLaC')
  })

  test('a job that crashes the WASM instance is retried once, then rejected; workers are replaced', async () => {
    // libopus in @ffmpeg/core 0.12.10 traps ("memory access out of bounds") on 48 kHz FLAC input.
    const { outputs } = await engine.run({
      args: ['-f', 'lavfi', '-i', 'aevalsrc=sin(440*2*PI*t)|cos(330*2*PI*t):s=48000:d=5', 'in48k.flac'],
      outputs: ['in48k.flac'],
    })
    const input = outputs['in48k.flac']
    if (!input) throw new Error('no FLAC produced')
    const crash = await rejection(
      engine.run({
        args: ['-i', 'in48k.flac', '-c:a', 'libopus', 'out.ogg'],
        inputs: { 'in48k.flac': input },
      }),
    )
    expect(crash).toBeInstanceOf(AudioEngineError)
    expect(String(crash)).toMatch(/crashed 2 times on this job: .*out of bounds/i)
    const after = await Promise.all([engine.run(sineToFlac('r1.flac')), engine.run(sineToFlac('r2.flac'))])
    expect(after.map((r, i) => ascii(r.outputs[`r${i + 1}.flac`]))).toEqual(['fLaC', 'fLaC'])
  })
})

test('close() rejects queued jobs and later runs', async () => {
  const engine = await createWasmEngine({ workers: 1 })
  const running = rejection(engine.run(sineToFlac('a.flac')))
  const queued = rejection(engine.run(sineToFlac('b.flac')))
  await engine.close()
  expect(String(await running)).toContain('audio engine is closed')
  expect(String(await queued)).toContain('audio engine is closed')
  expect(String(await rejection(engine.run(sineToFlac('c.flac'))))).toContain('audio engine is closed')
  await engine.close()
})
