import { AudioEngineError } from './errors.ts'
import { createNativeEngine, detectNativeFfmpeg } from './native-engine.ts'
import type { AudioEngine, AudioEngineOptions } from './types.ts'
import { createWasmEngine } from './wasm-engine.ts'

const DEFAULT_WORKERS = 1

/** Native ffmpeg is faster and can do Opus; WASM always works because it ships inside Tonearm. */
export async function createAudioEngine(opts: AudioEngineOptions): Promise<AudioEngine> {
  const workers = opts.workers ?? DEFAULT_WORKERS
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`audio engine workers must be a positive integer, got ${workers}`)
  }
  const { logger } = opts
  if (opts.engine !== 'wasm') {
    const found = await detectNativeFfmpeg(opts.ffmpegPath)
    if (found) return createNativeEngine({ ...found, workers, logger })
    const where = opts.ffmpegPath ?? 'ffmpeg on PATH'
    if (opts.engine === 'native')
      throw new AudioEngineError(`native ffmpeg not found or not working: ${where}`)
    if (opts.ffmpegPath)
      logger?.warn({ ffmpegPath: opts.ffmpegPath }, 'configured ffmpeg not usable; using WASM')
  }
  return createWasmEngine({ workers, logger })
}
