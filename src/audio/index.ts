export { createAudioEngine } from './engine/create-engine.ts'
export { AudioEngineError, FfmpegError } from './engine/errors.ts'
export { detectNativeFfmpeg } from './engine/native-engine.ts'
export type { AudioEngine, AudioEngineOptions, RunJob, RunResult } from './engine/types.ts'
export { buildLadder, type Codec, DEFAULT_RUNGS_KBPS, type Ladder, type Profile } from './ladder/profiles.ts'
export {
  createLibraryWork,
  EAGER_CACHE_SHARE,
  type LibraryProgress,
  type LibraryQueries,
  type LibraryWork,
} from './library/work.ts'
export {
  albumLoudness,
  DEFAULT_GAIN,
  type Gain,
  type GainOptions,
  type Loudness,
  normalizationGain,
  type ReplayGainTags,
} from './loudness/loudness.ts'
export type { Priority } from './queue/queue.ts'
export {
  type AudioService,
  type AudioServiceOptions,
  createAudioService,
  type HlsRendition,
  type LadderInfo,
  type RequestOptions,
} from './service.ts'
export type { Source } from './source.ts'
