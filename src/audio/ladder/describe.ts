import { INIT_NAME, segmentName } from '../renditions.ts'
import { type SegmentPlan, segmentDurations } from '../segments/plan.ts'
import type { LadderInfo } from '../service-types.ts'
import type { SourceInfo } from '../source.ts'
import { fileFormat, HLS_CODECS, hlsBandwidth, type Ladder } from './profiles.ts'

/** Everything a master and media playlists need, for one track: every rung shares one timeline. */
export function ladderInfo(info: SourceInfo, plan: SegmentPlan, ladder: Ladder): LadderInfo {
  const durations = segmentDurations(plan)
  return {
    sourceId: info.source.id,
    fingerprint: info.fingerprint,
    durationSeconds: plan.totalSamples / plan.sampleRate,
    targetDuration: Math.ceil(Math.max(...durations)),
    hls: ladder.hls.map((profile) => ({
      profile,
      bandwidth: hlsBandwidth(profile),
      codecs: HLS_CODECS,
      sampleRate: plan.sampleRate,
      channels: profile.channels,
      initName: INIT_NAME,
      segmentDurations: durations,
      segmentName,
    })),
    files: ladder.files.map((p) => ({ ...p, ...fileFormat(p.codec) })),
    original: info.lossless ? { path: info.source.path, codec: info.codec } : undefined,
  }
}
