import { createHash } from 'node:crypto'
import { extname } from 'node:path'
import type { AudioEngine, RunJob } from './engine/types.ts'
import { codecArgs, fileFormat, type Profile } from './ladder/profiles.ts'
import { PREROLL_FRAMES } from './segments/encode.ts'
import type { SegmentTiming } from './segments/plan.ts'
import { aacRate, type SourceInfo } from './source.ts'

/**
 * Cache names. Everything that changes the bytes is in the name — the source version
 * (fingerprint), the profile, the segment timing and the segmenter's own version — so a changed
 * file or setting never serves stale audio; old names simply age out of the LRU.
 */
const FORMAT_VERSION = 1

const shortHash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 10)

/**
 * Profiles and timing are fixed for the life of a process, so each name's hash is computed once:
 * cache names are built on every segment request (the segment and its read-ahead).
 */
const paramHashes = new WeakMap<Profile, Map<string, string>>()
function memoHash(profile: Profile, kind: string, value: () => unknown): string {
  let byKind = paramHashes.get(profile)
  if (!byKind) {
    byKind = new Map<string, string>()
    paramHashes.set(profile, byKind)
  }
  let hash = byKind.get(kind)
  if (hash === undefined) {
    hash = shortHash(value())
    byKind.set(kind, hash)
  }
  return hash
}

export function hlsPrefix(info: SourceInfo, profile: Profile, timing: SegmentTiming): string {
  const params = memoHash(profile, `hls:${timing.segmentSeconds}:${timing.firstSegmentSeconds}`, () => ({
    v: FORMAT_VERSION,
    profile,
    timing,
    preroll: PREROLL_FRAMES,
  }))
  return `${info.fingerprint}/${profile.id}/${params}`
}

export const INIT_NAME = 'init.mp4'
export const segmentName = (index: number) => `seg-${index}.m4s`

export function fileKey(info: SourceInfo, profile: Profile): string {
  const params = memoHash(profile, 'file', () => ({ v: FORMAT_VERSION, profile }))
  return `${info.fingerprint}/${profile.id}/${params}/file.${fileFormat(profile.codec).extension}`
}

/** A whole single-file rendition, or a stream of one from `offsetSeconds` on. */
export function fileJob(
  info: SourceInfo,
  profile: Profile,
  opts: { offsetSeconds?: number; streamed?: boolean } = {},
): RunJob & { output: string } {
  const offsetSeconds = opts.offsetSeconds ?? 0
  const input = `source${extname(info.source.path).toLowerCase()}`
  const format = fileFormat(profile.codec, opts.streamed)
  const output = `out.${format.extension}`
  // MP3 and Vorbis stop at 48 kHz; hi-res sources come down to their own rate family.
  const rate = profile.sampleRate ?? (info.sampleRate > 48000 ? aacRate(info.sampleRate) : undefined)
  return {
    args: [
      '-hide_banner',
      ...(offsetSeconds > 0 ? ['-ss', offsetSeconds.toFixed(3)] : []),
      ...['-i', input, '-map', '0:a:0', '-map_metadata', '-1', '-ac', String(profile.channels)],
      ...(rate ? ['-ar', String(rate)] : []),
      ...codecArgs(profile),
      ...format.muxer,
      output,
    ],
    files: { [input]: info.source.path },
    outputs: [output],
    output,
  }
}

/** Runs a streamed job; the stream carries ffmpeg's output as it is written, and cancelling it kills the encode. */
export function streamJob(
  engine: AudioEngine,
  job: RunJob & { output: string },
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const stop = new AbortController()
  const either = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Uint8Array) => controller.enqueue(chunk)
      engine.run({ ...job, outputs: [], signal: either, stream: { output: job.output, onData } }).then(
        () => controller.close(),
        (error: unknown) => {
          // After cancel() the stream is closed already and there is nobody to tell.
          if (!stop.signal.aborted) controller.error(error)
        },
      )
    },
    cancel(reason) {
      stop.abort(reason)
    },
  })
}
