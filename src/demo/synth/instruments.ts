import type { Random } from './random.ts'

/*
 * Small physical/FM models rather than bare oscillators: the demo is the first thing a user
 * hears, and plain sine beeps make the server sound broken.
 */

export type Voice =
  | 'epiano'
  | 'vibes'
  | 'koto'
  | 'bell'
  | 'strings'
  | 'saw'
  | 'bass'
  | 'kick'
  | 'hat'
  | 'clap'
  | 'brush'

const TAU = 2 * Math.PI

/** Seconds a voice keeps sounding after its note ends. */
const RELEASE: Record<Voice, number> = {
  epiano: 0.5,
  vibes: 0.8,
  koto: 0.6,
  bell: 0.9,
  strings: 0.7,
  saw: 0.3,
  bass: 0.15,
  kick: 0,
  hat: 0,
  clap: 0,
  brush: 0,
}

/** Fixed-length hits ignore the note length. */
const HIT_LENGTH: Partial<Record<Voice, number>> = { kick: 0.45, hat: 0.09, clap: 0.25, brush: 0.3 }

type Sample = (t: number, i: number) => number

function release(t: number, length: number, seconds: number): number {
  if (t <= length) return 1
  return seconds > 0 ? Math.exp((-(t - length) * 5) / seconds) : 0
}

function attack(t: number, seconds: number): number {
  return t < seconds ? t / seconds : 1
}

/** Naive sawtooth; the pads run it through a low-pass, which hides the aliasing. */
function saw(phase: number): number {
  return 2 * (phase - Math.floor(phase + 0.5))
}

function tonal(voice: Voice, freq: number): Sample {
  switch (voice) {
    case 'epiano': // FM with a fast-decaying index: the Rhodes "bark" softening into a sine
      return (t) =>
        Math.sin(TAU * freq * t + 1.3 * Math.exp(-t * 5) * Math.sin(TAU * freq * t)) *
        Math.exp(-t * 1.6) *
        attack(t, 0.004)
    case 'vibes': // fundamental plus the bar's 4th partial, with motor tremolo
      return (t) =>
        (Math.sin(TAU * freq * t) + 0.3 * Math.exp(-t * 7) * Math.sin(TAU * 4 * freq * t)) *
        Math.exp(-t * 1.3) *
        (1 + 0.2 * Math.sin(TAU * 5.5 * t)) *
        attack(t, 0.003)
    case 'bell': // inharmonic FM ratio 3.5
      return (t) =>
        Math.sin(TAU * freq * t + 1.8 * Math.exp(-t * 3) * Math.sin(TAU * 3.5 * freq * t)) *
        Math.exp(-t * 2.2) *
        attack(t, 0.002)
    case 'bass':
      return (t) =>
        (Math.sin(TAU * freq * t) +
          0.35 * Math.sin(TAU * 2 * freq * t) +
          0.1 * Math.sin(TAU * 3 * freq * t)) *
        (0.6 + 0.4 * Math.exp(-t * 6)) *
        attack(t, 0.006)
    default:
      throw new RangeError(`${voice} is not an oscillator voice`)
  }
}

/** Detuned saws through a one-pole low-pass: warm strings or a brighter synth pad. */
function pad(voice: 'strings' | 'saw', freq: number, sampleRate: number): Sample {
  const detune = voice === 'strings' ? [0.997, 1, 1.004] : [0.995, 1.005]
  const cutoff = voice === 'strings' ? 1400 : 2600
  const alpha = 1 - Math.exp((-TAU * cutoff) / sampleRate)
  const rise = voice === 'strings' ? 0.35 : 0.04
  let low = 0
  return (t) => {
    const vibrato = 1 + 0.002 * Math.sin(TAU * 5 * t)
    let raw = 0
    for (const d of detune) raw += saw(freq * d * vibrato * t)
    low += alpha * (raw / detune.length - low)
    return low * attack(t, rise)
  }
}

/** Karplus-Strong plucked string, close enough to a koto for pentatonic lines. */
function koto(freq: number, sampleRate: number, random: Random): Sample {
  const period = Math.max(2, Math.round(sampleRate / freq))
  const line = new Float32Array(period)
  let smooth = 0
  for (let i = 0; i < period; i++) {
    smooth = 0.5 * smooth + 0.5 * (random() * 2 - 1)
    line[i] = smooth
  }
  let previous = 0
  return (_t, i) => {
    const index = i % period
    const current = line[index] ?? 0
    line[index] = 0.996 * 0.5 * (current + previous)
    previous = current
    return current * 2.5
  }
}

function percussion(voice: Voice, sampleRate: number, random: Random): Sample {
  let phase = 0
  let low = 0
  let previous = 0
  switch (voice) {
    case 'kick': // sine with a falling pitch
      return (t) => {
        phase += (45 + 100 * Math.exp(-t * 28)) / sampleRate
        return Math.sin(TAU * phase) * Math.exp(-t * 8)
      }
    case 'hat': // high-passed noise
      return (t) => {
        const noise = random() * 2 - 1
        const high = noise - previous
        previous = noise
        return high * Math.exp(-t * 45) * 0.5
      }
    case 'clap':
      return (t) => {
        low += 0.35 * (random() * 2 - 1 - low)
        const flutter = t < 0.03 ? 0.6 + 0.4 * Math.sin(TAU * 90 * t) : 1
        return low * Math.exp(-t * 16) * flutter
      }
    case 'brush': // soft low-passed swish
      return (t) => {
        low += 0.12 * (random() * 2 - 1 - low)
        return low * attack(t, 0.015) * Math.exp(-t * 10) * 1.6
      }
    default:
      throw new RangeError(`${voice} is not a percussion voice`)
  }
}

/** Renders one note, including its release tail, as mono samples. */
export function renderNote(
  voice: Voice,
  freq: number,
  length: number,
  sampleRate: number,
  random: Random,
): Float32Array {
  const hit = HIT_LENGTH[voice]
  const sounding = hit ?? length + RELEASE[voice]
  const out = new Float32Array(Math.ceil(sounding * sampleRate))
  const sample: Sample =
    hit !== undefined
      ? percussion(voice, sampleRate, random)
      : voice === 'strings' || voice === 'saw'
        ? pad(voice, freq, sampleRate)
        : voice === 'koto'
          ? koto(freq, sampleRate, random)
          : tonal(voice, freq)
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate
    out[i] = sample(t, i) * (hit === undefined ? release(t, length, RELEASE[voice]) : 1)
  }
  return out
}
