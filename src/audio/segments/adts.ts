/**
 * ADTS is the simplest container ffmpeg can write AAC into: each frame carries a 7 or 9 byte
 * header with its length. Segment production asks ffmpeg for ADTS and re-muxes the raw frames
 * itself, because choosing exactly which frames go into which fMP4 fragment is what makes
 * independently encoded segments join seamlessly (see src/audio/README.md).
 */
export interface AdtsStream {
  sampleRate: number
  channels: number
  /** Raw AAC access units, headers stripped; each decodes to 1024 samples. */
  frames: Uint8Array[]
}

export const ADTS_SAMPLE_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
] as const

export function parseAdts(bytes: Uint8Array): AdtsStream {
  const frames: Uint8Array[] = []
  let sampleRate = 0
  let channels = 0
  let at = 0
  while (at + 7 <= bytes.length) {
    const b1 = bytes[at + 1] as number
    if (bytes[at] !== 0xff || (b1 & 0xf0) !== 0xf0) throw new Error(`ADTS sync lost at byte ${at}`)
    const b2 = bytes[at + 2] as number
    const b3 = bytes[at + 3] as number
    const length = ((b3 & 0x03) << 11) | ((bytes[at + 4] as number) << 3) | ((bytes[at + 5] as number) >> 5)
    const header = (b1 & 0x01) === 1 ? 7 : 9
    if (length < header || at + length > bytes.length) throw new Error(`truncated ADTS frame at byte ${at}`)
    sampleRate = ADTS_SAMPLE_RATES[(b2 >> 2) & 0x0f] ?? 0
    channels = ((b2 & 0x01) << 2) | (b3 >> 6)
    frames.push(bytes.subarray(at + header, at + length))
    at += length
  }
  return { sampleRate, channels, frames }
}
