import { AAC_FRAME } from './fmp4.ts'

/**
 * The timeline every HLS rung of a track shares. Boundaries sit on the AAC frame grid (multiples
 * of 1024 samples at the common output rate), so a segment of any rung starts and ends at the
 * same sample and a player can switch rung at any segment.
 *
 * Frame numbering: the encoder emits one priming frame first, so frame f presents source samples
 * [(f − 1)·1024, f·1024). Segment 0 holds frames [0, f₁) (the priming frame included, removed by
 * the init's edit list); segment i ≥ 1 holds frames [bᵢ/1024 + 1, bᵢ₊₁/1024 + 1).
 */
export interface SegmentPlan {
  sampleRate: number
  /** Samples presented, at sampleRate. */
  totalSamples: number
  /** First presented sample of each segment; starts[0] = 0. */
  starts: number[]
}

export interface SegmentTiming {
  /** Target seconds per segment. */
  segmentSeconds: number
  /** A shorter first segment starts playback sooner; equal to segmentSeconds to disable. */
  firstSegmentSeconds: number
}

/** A tail shorter than this is folded into the previous segment rather than left as a sliver. */
const MIN_TAIL_SECONDS = 1

export function planSegments(sampleRate: number, totalSamples: number, timing: SegmentTiming): SegmentPlan {
  if (!(totalSamples > 0)) throw new RangeError(`cannot plan segments of an empty track (${totalSamples})`)
  const starts = [0]
  const onGrid = (seconds: number) => Math.round((seconds * sampleRate) / AAC_FRAME) * AAC_FRAME
  for (let i = 1; ; i++) {
    const start = onGrid(timing.firstSegmentSeconds + (i - 1) * timing.segmentSeconds)
    if (start >= totalSamples - MIN_TAIL_SECONDS * sampleRate) break
    starts.push(start)
  }
  return { sampleRate, totalSamples, starts }
}

export const segmentCount = (plan: SegmentPlan): number => plan.starts.length

/** Frames of the whole track: the priming frame plus enough to present every sample. */
export const frameCount = (plan: SegmentPlan): number => Math.ceil(plan.totalSamples / AAC_FRAME) + 1

/** Frame range [first, end) that segment `index` carries. */
export function segmentFrames(plan: SegmentPlan, index: number): { first: number; end: number } {
  const start = plan.starts[index]
  if (start === undefined) throw new RangeError(`segment ${index} out of range 0..${plan.starts.length - 1}`)
  const next = plan.starts[index + 1]
  return {
    first: index === 0 ? 0 : start / AAC_FRAME + 1,
    end: next === undefined ? frameCount(plan) : next / AAC_FRAME + 1,
  }
}

/** Seconds each segment presents: the EXTINF values of a media playlist. */
export function segmentDurations(plan: SegmentPlan): number[] {
  return plan.starts.map((start, i) => ((plan.starts[i + 1] ?? plan.totalSamples) - start) / plan.sampleRate)
}
