import type { ScaleName, TrackMusic } from '../types.ts'
import type { Voice } from './instruments.ts'

export interface NoteEvent {
  voice: Voice
  midi: number
  /** Seconds from the start of the track. */
  start: number
  length: number
  gain: number
  /** -1 (left) … 1 (right). */
  pan: number
  /** Share sent to the echo, which makes a dry synth sound like a room. */
  echo: number
}

/** Converts a position in eighth notes into seconds at the track's tempo. */
export type Clock = (eighths: number) => number

const SCALES: Record<ScaleName, number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  // Japanese pentatonic scales, for the koto pieces.
  yo: [0, 2, 5, 7, 9],
  insen: [0, 1, 5, 7, 10],
}

export function scaleSize(music: TrackMusic): number {
  return SCALES[music.scale].length
}

/** MIDI note of a scale degree (0 = tonic; degrees past the scale climb octaves). */
export function pitch(music: TrackMusic, degree: number): number {
  const scale = SCALES[music.scale]
  const octave = Math.floor(degree / scale.length)
  const step = scale[((degree % scale.length) + scale.length) % scale.length] ?? 0
  return music.key + 12 * octave + step
}

/** Stacked thirds on a degree; the jazz tracks get sevenths. */
export function chordDegrees(music: TrackMusic, root: number): number[] {
  const sevenths = scaleSize(music) === 7 && music.groove === 'brushes'
  return sevenths ? [root, root + 2, root + 4, root + 6] : [root, root + 2, root + 4]
}
