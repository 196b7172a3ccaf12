import type { TrackMusic } from '../types.ts'
import type { Voice } from './instruments.ts'
import { type Clock, type NoteEvent, pitch } from './theory.ts'

/** Bass and drums for one bar; `next` is the following bar's chord root. */
export function rhythmSection(
  music: TrackMusic,
  bar: number,
  root: number,
  next: number,
  clock: Clock,
): NoteEvent[] {
  const at = (eighth: number) => clock(bar * 8 + eighth)
  const bass = (degree: number, eighth: number, length: number, gain = 0.42): NoteEvent => ({
    voice: 'bass',
    midi: pitch(music, degree) - 24,
    start: at(eighth),
    length: clock(length),
    gain,
    pan: 0,
    echo: 0,
  })
  const drum = (voice: Voice, eighth: number, gain: number, pan = 0): NoteEvent => ({
    voice,
    midi: 0,
    start: at(eighth),
    length: 0,
    gain,
    pan,
    echo: 0,
  })
  if (music.groove === 'four-on-floor') {
    return [
      ...[0, 2, 4, 6].map((e) => drum('kick', e, 0.75)),
      ...[1, 3, 5, 7].map((e) => drum('hat', e, 0.35, 0.25)),
      ...[2, 6].map((e) => drum('clap', e, 0.3, -0.1)),
      ...[1, 3, 5, 7].map((e) => bass(root, e, 0.8)),
    ]
  }
  if (music.groove === 'brushes') {
    // Walking bass: root, fifth, third, then a step down into the next bar's root.
    const walk = [root, root + 4, root + 2, next + 1]
    return [
      ...walk.map((degree, beat) => bass(degree, beat * 2, 1.95)),
      ...[0, 2, 4, 6].map((e) => drum('brush', e, e % 4 === 2 ? 0.32 : 0.2, 0.3)),
      // Swung ride-ish ticks on the last triplet of beats 2 and 4.
      ...[3.33, 7.33].map((e) => drum('hat', e, 0.12, 0.3)),
      drum('kick', 0, 0.25),
    ]
  }
  return [bass(root, 0, 8, 0.14)]
}
