import { expect, test } from 'bun:test'
import { createAudioEngine, detectNativeFfmpeg } from '../index.ts'

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected the promise to reject'),
    (error: unknown) => error,
  )

test('auto prefers native ffmpeg when there is one, else WASM', async () => {
  const native = await detectNativeFfmpeg()
  const engine = await createAudioEngine({ engine: 'auto' })
  try {
    expect(engine.kind).toBe(native ? 'native' : 'wasm')
  } finally {
    await engine.close()
  }
})

test('auto falls back to WASM when the configured ffmpeg does not exist', async () => {
  const engine = await createAudioEngine({ engine: 'auto', ffmpegPath: '/nonexistent/ffmpeg' })
  try {
    expect(engine.kind).toBe('wasm')
    expect(engine.version).toBe('ffmpeg 5.1.4 (wasm)')
  } finally {
    await engine.close()
  }
})

test('native without a usable ffmpeg is an error naming the path', async () => {
  const error = await rejection(createAudioEngine({ engine: 'native', ffmpegPath: '/nonexistent/ffmpeg' }))
  expect(String(error)).toContain('/nonexistent/ffmpeg')
})

test('workers must be a positive integer', async () => {
  expect(await rejection(createAudioEngine({ engine: 'wasm', workers: 0 }))).toBeInstanceOf(RangeError)
})
