import type { TrackMusic } from '../types.ts'
import { compose } from './compose.ts'
import { renderNote } from './instruments.ts'
import { createRandom } from './random.ts'
import { encodeWav } from './wav.ts'

export const SAMPLE_RATE = 44100

/** Peak level after normalising: -3 dBFS leaves lossy encoders room for overshoot. */
const PEAK = Math.SQRT1_2
const FADE_OUT_SECONDS = 0.6

const midiToHz = (midi: number) => 440 * 2 ** ((midi - 69) / 12)

/** Ping-pong echo at a dotted eighth: cheap, and it glues dry synth voices together. */
function addEcho(
  left: Float32Array,
  right: Float32Array,
  sendL: Float32Array,
  sendR: Float32Array,
  bpm: number,
): void {
  const delay = Math.round((45 / bpm) * SAMPLE_RATE)
  const feedback = 0.38
  const lineL = new Float32Array(left.length)
  const lineR = new Float32Array(right.length)
  for (let i = 0; i < left.length; i++) {
    const fromR = i >= delay ? (lineR[i - delay] ?? 0) : 0
    const fromL = i >= delay ? (lineL[i - delay] ?? 0) : 0
    lineL[i] = (sendL[i] ?? 0) + feedback * fromR
    lineR[i] = (sendR[i] ?? 0) * 0.5 + feedback * fromL
    left[i] = (left[i] ?? 0) + 0.45 * fromR
    right[i] = (right[i] ?? 0) + 0.45 * fromL
  }
}

function master(left: Float32Array, right: Float32Array): void {
  let peak = 1e-9
  for (let i = 0; i < left.length; i++) peak = Math.max(peak, Math.abs(left[i] ?? 0), Math.abs(right[i] ?? 0))
  const fadeIn = Math.round(0.01 * SAMPLE_RATE)
  const fadeOut = Math.round(FADE_OUT_SECONDS * SAMPLE_RATE)
  for (let i = 0; i < left.length; i++) {
    const toEnd = left.length - 1 - i
    const fade = Math.min(1, i / fadeIn, toEnd / fadeOut)
    const gain = (PEAK / peak) * fade * fade
    left[i] = (left[i] ?? 0) * gain
    right[i] = (right[i] ?? 0) * gain
  }
}

/** Renders a track to a 44.1 kHz stereo 16-bit WAV, exactly `duration` seconds long. */
export function renderTrackWav(music: TrackMusic, duration: number): Uint8Array {
  const frames = Math.round(duration * SAMPLE_RATE)
  const left = new Float32Array(frames)
  const right = new Float32Array(frames)
  const sendL = new Float32Array(frames)
  const sendR = new Float32Array(frames)
  const random = createRandom(music.seed * 7919)
  for (const note of compose(music, duration)) {
    const samples = renderNote(note.voice, midiToHz(note.midi), note.length, SAMPLE_RATE, random)
    const start = Math.round(note.start * SAMPLE_RATE)
    // Constant-power pan keeps a centred voice as loud as a panned one.
    const angle = ((note.pan + 1) * Math.PI) / 4
    const gainL = Math.cos(angle) * note.gain
    const gainR = Math.sin(angle) * note.gain
    const count = Math.min(samples.length, frames - start)
    for (let i = 0; i < count; i++) {
      const s = samples[i] ?? 0
      const at = start + i
      left[at] = (left[at] ?? 0) + s * gainL
      right[at] = (right[at] ?? 0) + s * gainR
      if (note.echo > 0) {
        sendL[at] = (sendL[at] ?? 0) + s * gainL * note.echo
        sendR[at] = (sendR[at] ?? 0) + s * gainR * note.echo
      }
    }
  }
  addEcho(left, right, sendL, sendR, music.bpm)
  master(left, right)
  return encodeWav(left, right, SAMPLE_RATE)
}
