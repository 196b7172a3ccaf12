/**
 * Renditions as plain data. One list of rungs (kbps) makes the whole ladder: AAC-LC rungs for
 * HLS (fMP4 segments), and single-file MP3, Ogg Vorbis and AAC renditions for progressive
 * clients at the same rungs, plus Opus where native ffmpeg runs (libopus in the WASM build
 * crashes on 48 kHz input). The original file is the lossless rung, served as it is.
 */
export type Codec = 'aac' | 'mp3' | 'vorbis' | 'opus'

export interface Profile {
  /** Stable name used in URLs and cache keys, e.g. "aac-160". */
  id: string
  codec: Codec
  bitrateKbps: number
  channels: 1 | 2
  /** A fixed output rate; absent means the source's rate (for AAC, see aacRate). */
  sampleRate?: number
  /** Only offered when the native engine is in use. */
  nativeOnly?: boolean
}

export interface FileFormat {
  extension: string
  mimeType: string
  /** Muxer arguments after the codec ones. */
  muxer: string[]
}

export const DEFAULT_RUNGS_KBPS = [24, 96, 160, 320] as const

/** Below this a stereo image costs more than it gives; such rungs are mono. */
const MONO_BELOW_KBPS = 48

export const HLS_CODECS = 'mp4a.40.2'

function profile(codec: Codec, kbps: number): Profile {
  const channels = kbps < MONO_BELOW_KBPS ? 1 : 2
  const p: Profile = { id: `${codec}-${kbps}`, codec, bitrateKbps: kbps, channels }
  // MPEG-1 layer 3 has no bitrate under 32 kbps, and libvorbis has no mode that low at 44.1 kHz.
  if ((codec === 'mp3' || codec === 'vorbis') && kbps < MONO_BELOW_KBPS) p.sampleRate = 22050
  if (codec === 'opus') {
    p.sampleRate = 48000
    p.nativeOnly = true
  }
  return p
}

export interface Ladder {
  /** AAC-LC rungs of the HLS master playlist, lowest first. */
  hls: Profile[]
  /** Single-file renditions for progressive clients. */
  files: Profile[]
}

export function buildLadder(rungsKbps: readonly number[], opts: { native: boolean }): Ladder {
  const rungs = [...new Set(rungsKbps)].sort((a, b) => a - b)
  const codecs: Codec[] = opts.native ? ['aac', 'mp3', 'vorbis', 'opus'] : ['aac', 'mp3', 'vorbis']
  return {
    hls: rungs.map((kbps) => profile('aac', kbps)),
    files: codecs.flatMap((codec) => rungs.map((kbps) => profile(codec, kbps))),
  }
}

/** Encoder arguments; Vorbis is held to its bitrate, its plain ABR mode undershoots by 30–50%. */
export function codecArgs(p: Profile): string[] {
  const rate = `${p.bitrateKbps}k`
  switch (p.codec) {
    case 'aac':
      return ['-c:a', 'aac', '-b:a', rate]
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', rate]
    case 'vorbis':
      return ['-c:a', 'libvorbis', '-b:a', rate, '-minrate', rate, '-maxrate', rate]
    case 'opus':
      return ['-c:a', 'libopus', '-b:a', rate]
  }
}

/**
 * The container of a single-file rendition. A streamed one cannot seek back to finish a header,
 * so AAC goes out as ADTS rather than MP4 with its index up front.
 */
export function fileFormat(codec: Codec, streamed = false): FileFormat {
  switch (codec) {
    case 'aac':
      if (streamed) return { extension: 'aac', mimeType: 'audio/aac', muxer: ['-f', 'adts'] }
      return { extension: 'm4a', mimeType: 'audio/mp4', muxer: ['-f', 'mp4', '-movflags', '+faststart'] }
    case 'mp3':
      return { extension: 'mp3', mimeType: 'audio/mpeg', muxer: ['-f', 'mp3'] }
    case 'vorbis':
      return { extension: 'ogg', mimeType: 'audio/ogg', muxer: ['-f', 'ogg'] }
    case 'opus':
      return { extension: 'opus', mimeType: 'audio/ogg; codecs=opus', muxer: ['-f', 'ogg'] }
  }
}

/** HLS BANDWIDTH: the peak bits per second, allowing for ABR swings and fMP4 overhead. */
export const hlsBandwidth = (p: Profile): number => Math.ceil(p.bitrateKbps * 1000 * 1.15)

export function findProfile(ladder: Ladder, id: string): Profile | undefined {
  return ladder.hls.find((p) => p.id === id) ?? ladder.files.find((p) => p.id === id)
}
