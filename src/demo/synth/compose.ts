import type { TrackMusic } from '../types.ts'
import { createRandom, pick, type Random } from './random.ts'
import { rhythmSection } from './rhythm.ts'
import { type Clock, chordDegrees, type NoteEvent, pitch, scaleSize } from './theory.ts'

/** Melody rhythms for one 4/4 bar as note lengths in eighths; negative numbers are rests. */
const RHYTHMS = [
  [2, 1, 1, 4],
  [3, 1, 2, 2],
  [-1, 1, 2, 1, 3],
  [1, 1, 2, -1, 1, 2],
  [4, 2, 1, 1],
]

const SILENT_TAIL_SECONDS = 0.4

function melody(music: TrackMusic, random: Random, bar: number, chord: number[], clock: Clock): NoteEvent[] {
  const size = scaleSize(music)
  let degree = (chord[0] ?? 0) + size
  let at = 0
  const notes: NoteEvent[] = []
  for (const length of pick(random, RHYTHMS)) {
    const start = at
    at += Math.abs(length)
    if (length < 0) continue
    degree += pick(random, [-2, -1, -1, 1, 1, 2, 0, 3])
    // Land on a chord tone on the strong beats so the line agrees with the harmony.
    if (start % 4 === 0) {
      degree = chord
        .map((c) => c + size)
        .reduce((a, b) => (Math.abs(b - degree) < Math.abs(a - degree) ? b : a))
    }
    degree = Math.min(size * 2 + 2, Math.max(size, degree))
    notes.push({
      voice: music.lead,
      midi: pitch(music, degree),
      start: clock(bar * 8 + start),
      length: clock(length) * 0.9,
      gain: 0.32 + random() * 0.08,
      pan: 0.15,
      echo: 0.3,
    })
  }
  return notes
}

function arpeggio(music: TrackMusic, bar: number, chord: number[], clock: Clock): NoteEvent[] {
  const size = scaleSize(music)
  const tones = [...chord, ...chord.map((c) => c + size)].map((c) => c + size)
  return Array.from({ length: 16 }, (_, i) => ({
    voice: music.lead,
    midi: pitch(music, tones[i % tones.length] ?? 0),
    start: clock(bar * 8 + i / 2),
    length: clock(0.4),
    gain: i % 4 === 0 ? 0.26 : 0.17,
    pan: i % 2 === 0 ? -0.35 : 0.35,
    echo: 0.35,
  }))
}

/** Sustained pad chords, or, without a pad, the lead comping on 1 and the "and" of 2. */
function harmony(music: TrackMusic, bar: number, chord: number[], clock: Clock): NoteEvent[] {
  const { pad } = music
  if (pad) {
    return chord.map((degree, i) => ({
      voice: pad,
      midi: pitch(music, degree) - 12,
      start: clock(bar * 8),
      length: clock(8),
      gain: 0.11,
      pan: (i - 1) * 0.4,
      echo: 0.1,
    }))
  }
  return [0, 3].flatMap((at) =>
    chord.map((degree, i) => ({
      voice: music.lead,
      midi: pitch(music, degree),
      start: clock(bar * 8 + at),
      length: clock(2),
      gain: 0.14,
      pan: (i - 1) * 0.3 - 0.2,
      echo: 0.15,
    })),
  )
}

/** Turns a track's musical parameters into a deterministic list of notes. */
export function compose(music: TrackMusic, duration: number): NoteEvent[] {
  const random = createRandom(music.seed)
  const clock: Clock = (eighths) => (eighths * 30) / music.bpm
  const bars = Math.ceil(duration / clock(8))
  const notes: NoteEvent[] = []
  for (let bar = 0; bar < bars; bar++) {
    const root = music.progression[bar % music.progression.length] ?? 0
    const next = music.progression[(bar + 1) % music.progression.length] ?? 0
    const chord = chordDegrees(music, root)
    notes.push(...harmony(music, bar, chord, clock), ...rhythmSection(music, bar, root, next, clock))
    notes.push(
      ...(music.groove === 'four-on-floor'
        ? arpeggio(music, bar, chord, clock)
        : melody(music, random, bar, chord, clock)),
    )
  }
  // Nothing starts in the last moments, so the fade-out never cuts a note's attack.
  return notes.filter((note) => note.start < duration - SILENT_TAIL_SECONDS)
}
