import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Db } from '../platform/sqlite.ts'
import type { AudioEngine } from './engine/types.ts'
import type { Profile } from './ladder/profiles.ts'
import type { GainOptions } from './loudness/loudness.ts'
import type { Priority } from './queue/queue.ts'
import type { SegmentTiming } from './segments/plan.ts'

export interface AudioServiceOptions {
  engine: AudioEngine
  db: Db
  /** `<data>/cache/audio` */
  cacheDir: string
  cacheMaxBytes: number
  registry: Registry
  /** Background and prefetch jobs at once; a waiting user may use one more slot. */
  concurrency: number
  timing: SegmentTiming
  rungsKbps: readonly number[]
  gain: GainOptions
  /**
   * How long a source file's identity (size, mtime) may be reused before it is stat'ed again;
   * 0 (the default) stats on every call. The server uses a second: a changed file is then noticed
   * within a second, and a stat no longer rides on every segment request.
   */
  recheckMs?: number
  logger?: Logger
}

/** What the streaming layer needs to write a media playlist for one rung. */
export interface HlsRendition {
  profile: Profile
  /** For the master playlist: BANDWIDTH and CODECS. */
  bandwidth: number
  codecs: string
  sampleRate: number
  channels: number
  initName: string
  /** EXTINF of each segment, seconds; the same for every rung of a track. */
  segmentDurations: number[]
  segmentName(index: number): string
}

export interface LadderInfo {
  sourceId: string
  /** Changes when the file does: part of every cache name, a good ETag ingredient. */
  fingerprint: string
  durationSeconds: number
  /** EXT-X-TARGETDURATION: the longest segment, rounded up. */
  targetDuration: number
  hls: HlsRendition[]
  files: (Profile & { mimeType: string; extension: string })[]
  /** The lossless rung: the source file itself, served as it is. */
  original?: { path: string; codec: string }
}

export interface RequestOptions {
  priority?: Priority
  /** The caller left (skipped track, closed connection): its job stops unless others want it. */
  signal?: AbortSignal
}
