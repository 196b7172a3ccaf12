export { createAudioEngine } from './engine/create-engine.ts'
export { AudioEngineError, FfmpegError } from './engine/errors.ts'
export { detectNativeFfmpeg } from './engine/native-engine.ts'
export type { AudioEngine, AudioEngineOptions, RunJob, RunResult } from './engine/types.ts'
