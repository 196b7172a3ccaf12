import { extname } from 'node:path'
import type { RunJob } from '../engine/types.ts'
import type { Source } from '../source.ts'

/** EBU R128 measurements of one track or album. */
export interface Loudness {
  integratedLufs: number
  rangeLu: number
  truePeakDbtp: number
}

/** ffmpeg's ebur128 filter over the whole file; the summary it logs at the end is the result. */
export function loudnessJob(source: Source): RunJob {
  const input = `source${extname(source.path).toLowerCase()}`
  return {
    args: [
      '-hide_banner',
      '-i',
      input,
      '-map',
      '0:a:0',
      '-af',
      'ebur128=peak=true:framelog=verbose',
      '-f',
      'null',
      '-',
    ],
    files: { [input]: source.path },
  }
}

/** Reads the "Summary:" block the filter logs; silence measures −70 LUFS and −inf dBTP. */
export function parseEbur128Summary(log: string[]): Loudness {
  const at = log.findLastIndex((line) => line.includes('Summary:'))
  if (at < 0) throw new Error('ebur128 printed no summary')
  const summary = log.slice(at).join('\n')
  const value = (label: RegExp): number => {
    const match = label.exec(summary)
    if (!match?.[1]) throw new Error(`ebur128 summary has no ${label.source}`)
    return match[1] === '-inf' ? Number.NEGATIVE_INFINITY : Number(match[1])
  }
  return {
    integratedLufs: value(/I:\s+(-?[\d.]+|-inf) LUFS/),
    rangeLu: value(/LRA:\s+(-?[\d.]+) LU/),
    truePeakDbtp: value(/Peak:\s+(-?[\d.]+|-inf) dBFS/),
  }
}

/**
 * Album loudness from its tracks, without a second pass over the audio: BS.1770 gating applied
 * with tracks as the blocks. The ungated duration-weighted energy mean sets the relative gate
 * (−10 LU); tracks below it are left out, as a quiet interlude is when the album is measured as one
 * file; the mean of the rest is the album's loudness. Exact for tracks of steady loudness, close
 * otherwise (within-track gating was already applied to each track). True peak is the loudest
 * track's. Loudness range does not combine from per-track ranges; the widest track's is reported,
 * an underestimate when tracks differ in level.
 */
export function albumLoudness(tracks: readonly (Loudness & { seconds: number })[]): Loudness {
  const energyMean = (ts: readonly (Loudness & { seconds: number })[]) => {
    const seconds = ts.reduce((sum, t) => sum + t.seconds, 0)
    const energy = ts.reduce((sum, t) => sum + t.seconds * 10 ** (t.integratedLufs / 10), 0)
    return seconds > 0 ? 10 * Math.log10(energy / seconds) : Number.NEGATIVE_INFINITY
  }
  const measured = tracks.filter((t) => Number.isFinite(t.integratedLufs) && t.seconds > 0)
  const gate = energyMean(measured) - 10
  return {
    integratedLufs: energyMean(measured.filter((t) => t.integratedLufs >= gate)),
    rangeLu: Math.max(0, ...measured.map((t) => t.rangeLu)),
    truePeakDbtp: Math.max(Number.NEGATIVE_INFINITY, ...tracks.map((t) => t.truePeakDbtp)),
  }
}

/** ReplayGain 2.0 tags, read by the scanner; the fallback until analysis has run. */
export interface ReplayGainTags {
  /** dB to apply to reach ReplayGain's reference (−18 LUFS). */
  gainDb: number
  /** Linear sample peak (1.0 = full scale), when tagged. */
  peak?: number
}

export const REPLAYGAIN_REFERENCE_LUFS = -18

export interface GainOptions {
  targetLufs: number
  /** The gain never pushes the true peak above this. */
  peakCeilingDbtp: number
}

export const DEFAULT_GAIN: GainOptions = { targetLufs: -14, peakCeilingDbtp: -1 }

export interface Gain {
  gainDb: number
  /** The target asked for more, and the peak ceiling held the gain back. */
  peakLimited: boolean
  basis: 'ebur128' | 'replaygain' | 'none'
}

/** The playback gain that brings a track (or album) to the target, measured or from tags. */
export function normalizationGain(
  measured: Loudness | undefined,
  tags: ReplayGainTags | undefined,
  opts: GainOptions = DEFAULT_GAIN,
): Gain {
  let loudness: number
  let peak: number | undefined
  let basis: Gain['basis']
  if (measured && Number.isFinite(measured.integratedLufs)) {
    loudness = measured.integratedLufs
    peak = measured.truePeakDbtp
    basis = 'ebur128'
  } else if (tags) {
    loudness = REPLAYGAIN_REFERENCE_LUFS - tags.gainDb
    peak = tags.peak === undefined ? undefined : 20 * Math.log10(tags.peak)
    basis = 'replaygain'
  } else return { gainDb: 0, peakLimited: false, basis: 'none' }
  const wanted = opts.targetLufs - loudness
  const allowed = peak === undefined || !Number.isFinite(peak) ? wanted : opts.peakCeilingDbtp - peak
  const gainDb = Math.round(Math.min(wanted, allowed) * 100) / 100
  return { gainDb, peakLimited: allowed < wanted, basis }
}
