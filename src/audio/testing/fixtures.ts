// Shared by the audio tests and benchmarks (not shipped code): fixtures made by our own WASM
// engine, and decoding to PCM with that same engine so no system ffmpeg is ever needed.
import { writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { AudioEngine } from '../engine/types.ts'

/**
 * Tonal music-like audio below 3 kHz (so even the 24 kbps rung keeps it): a held chord, a slow
 * vibrato and plucked notes every half second, whose sharp onsets make the AAC encoder switch to
 * short windows — the case where naive segment joins are most audible.
 */
export const MUSIC =
  '0.2*sin(2*PI*220*t)+0.15*sin(2*PI*(330+20*sin(2*PI*0.5*t))*t)+0.35*sin(2*PI*880*t)*exp(-6*mod(t,0.5))*lt(mod(t,0.5),0.45)|0.2*sin(2*PI*277*t)+0.15*sin(2*PI*(440+15*sin(2*PI*0.3*t))*t)+0.3*sin(2*PI*1320*t)*exp(-5*mod(t+0.25,0.5))'

/**
 * Pink noise under two tones: dense like a mastered mix, so every encoder spends its whole bitrate
 * (white noise would make ffmpeg's AAC encoder overshoot at 320 kbps; pure tones undershoot).
 */
export const denseMix = (seconds: number) =>
  `anoisesrc=d=${seconds}:c=pink:r=44100:a=0.3:seed=7[n];aevalsrc='0.2*sin(2*PI*440*t)|0.2*sin(2*PI*660*t)':s=44100:d=${seconds}[t];[n][t]amerge=inputs=2,pan=stereo|c0=c0+c1|c1=c0+c2`

/** Writes a FLAC (or any format the extension names) of `seconds` of `expr` into dir. */
export async function makeFixture(
  engine: AudioEngine,
  dir: string,
  name: string,
  opts: { seconds: number; expr?: string; sampleRate?: number; extra?: string[]; lavfi?: string },
): Promise<string> {
  const { outputs } = await engine.run({
    args: [
      ...[
        '-f',
        'lavfi',
        '-i',
        opts.lavfi ?? `aevalsrc='${opts.expr ?? MUSIC}':s=${opts.sampleRate ?? 44100}:d=${opts.seconds}`,
      ],
      ...(opts.extra ?? []),
      name,
    ],
    outputs: [name],
  })
  const path = join(dir, name)
  writeFileSync(path, outputs[name] as Uint8Array)
  return path
}

/**
 * Decodes a file to mono float PCM at `sampleRate`. Timestamps are kept (-copyts) and samples
 * before zero trimmed, so an edit list that removes encoder priming is honoured the way a player
 * honours it.
 */
export async function decodePcm(
  engine: AudioEngine,
  path: string,
  sampleRate = 44100,
): Promise<Float32Array> {
  const input = `in-${basename(path)}`
  const { outputs } = await engine.run({
    args: [
      '-copyts',
      '-i',
      input,
      '-af',
      'atrim=start=0',
      '-ac',
      '1',
      '-ar',
      String(sampleRate),
      '-f',
      'f32le',
      'out.pcm',
    ],
    files: { [input]: path },
    outputs: ['out.pcm'],
  })
  const bytes = outputs['out.pcm'] as Uint8Array
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

/** Decoded duration, number of audio streams and codec name, from ffmpeg's own reading of the file. */
export async function probeAudio(
  engine: AudioEngine,
  path: string,
): Promise<{ codec: string; seconds: number; bitrate: number; sampleRate: number; channels: number }> {
  const input = `in-${basename(path)}`
  const { log } = await engine.run({
    args: ['-hide_banner', '-i', input, '-f', 'null', '-'],
    files: { [input]: path },
  })
  const stream = log.find((l) => /Stream #0:\d.*: Audio: /.test(l)) ?? ''
  const [, codec = '', rate = '0', layout = ''] = /Audio: (\w+).*?, (\d+) Hz, ([\w.()]+)/.exec(stream) ?? []
  const progress = log.filter((l) => /time=\d/.test(l)).at(-1) ?? ''
  const [, h = '0', m = '0', s = '0'] = /time=(\d+):(\d+):([\d.]+)/.exec(progress) ?? []
  const [, kbps = '0'] = /bitrate: (\d+) kb\/s/.exec(log.find((l) => l.includes('Duration:')) ?? '') ?? []
  return {
    codec,
    seconds: Number(h) * 3600 + Number(m) * 60 + Number(s),
    bitrate: Number(kbps) * 1000,
    sampleRate: Number(rate),
    channels: layout === 'mono' ? 1 : layout === 'stereo' ? 2 : Number.parseInt(layout, 10),
  }
}
