import type { CachedFile } from './cache/disk-cache.ts'
import type { AudioEngine } from './engine/types.ts'
import type { Profile } from './ladder/profiles.ts'
import { loudnessJob, parseEbur128Summary } from './loudness/loudness.ts'
import type { createLoudnessStore } from './loudness/store.ts'
import type { AudioMetrics } from './queue/metrics.ts'
import type { JobHandler, JobSpec } from './queue/queue.ts'
import { fileJob, fileKey, hlsPrefix, segmentName } from './renditions.ts'
import { encodeSegments, type SegmentRange } from './segments/encode.ts'
import type { SegmentPlan, SegmentTiming } from './segments/plan.ts'
import { describeSource, type SourceInfo } from './source.ts'

/**
 * What each kind of queued job does. A job carries only the source and names (profile, range),
 * so after a restart it runs against the file as it is then, under that file's fingerprint.
 */
export function createJobHandlers(deps: {
  engine: AudioEngine
  timing: SegmentTiming
  metrics: AudioMetrics
  loudnessStore: ReturnType<typeof createLoudnessStore>
  store(key: string, bytes: Uint8Array): Promise<CachedFile>
  profileOf(id: string, kind: 'hls' | 'files'): Profile
  planOf(info: SourceInfo): SegmentPlan
}): Record<'segments' | 'file' | 'loudness', JobHandler> {
  const { engine, timing, metrics, loudnessStore, store, profileOf, planOf } = deps

  async function runSegments(spec: JobSpec, signal: AbortSignal): Promise<void> {
    const info = await describeSource(spec.source)
    const profile = profileOf(spec.params.profile as string, 'hls')
    const range = spec.params as unknown as SegmentRange
    const plan = planOf(info)
    const encode = encodeSegments(info, plan, profile, range)
    const { outputs } = await engine.run({ ...encode.job, signal })
    const prefix = hlsPrefix(info, profile, timing)
    for (const [index, bytes] of encode.split(outputs['out.aac'] as Uint8Array)) {
      await store(`${prefix}/${segmentName(index)}`, bytes)
    }
    const starts = plan.starts
    const end = starts[range.last + 1] ?? plan.totalSamples
    metrics.encodedSeconds.inc({ codec: 'aac' }, (end - (starts[range.first] as number)) / plan.sampleRate)
  }

  async function runFile(spec: JobSpec, signal: AbortSignal): Promise<void> {
    const info = await describeSource(spec.source)
    const profile = profileOf(spec.params.profile as string, 'files')
    const job = fileJob(info, profile)
    const { outputs } = await engine.run({ ...job, signal })
    await store(fileKey(info, profile), outputs[job.output] as Uint8Array)
    metrics.encodedSeconds.inc({ codec: profile.codec }, info.totalSamples / info.sampleRate)
  }

  async function runLoudness(spec: JobSpec, signal: AbortSignal): Promise<void> {
    const info = await describeSource(spec.source)
    const { log } = await engine.run({ ...loudnessJob(spec.source), signal })
    loudnessStore.write(info.fingerprint, spec.source, parseEbur128Summary(log))
  }

  return { segments: runSegments, file: runFile, loudness: runLoudness }
}
