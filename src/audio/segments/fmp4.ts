/**
 * A minimal CMAF (fragmented MP4) writer for one AAC-LC track: an init segment (ftyp + moov)
 * and media segments (styp + moof + mdat). Written here rather than by ffmpeg's mp4 muxer so the
 * timeline is ours: every fragment's tfdt is its first frame's index on the track-wide frame grid,
 * whichever encoder run produced it, and the init's edit list removes the encoder priming once.
 */
import { ADTS_SAMPLE_RATES } from './adts.ts'

export const AAC_FRAME = 1024

const enc = new TextEncoder()

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Big-endian fields: [bytes, value] pairs, values as numbers (u64 as two u32 halves). */
function fields(...spec: [1 | 2 | 3 | 4 | 8, number][]): Uint8Array {
  const out = new Uint8Array(spec.reduce((n, [w]) => n + w, 0))
  const view = new DataView(out.buffer)
  let at = 0
  for (const [width, value] of spec) {
    if (width === 8) {
      view.setUint32(at, Math.floor(value / 2 ** 32))
      view.setUint32(at + 4, value % 2 ** 32)
    } else if (width === 4) view.setUint32(at, value >>> 0)
    else if (width === 3) {
      view.setUint8(at, (value >> 16) & 0xff)
      view.setUint16(at + 1, value & 0xffff)
    } else if (width === 2) view.setUint16(at, value)
    else view.setUint8(at, value)
    at += width
  }
  return out
}

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload)
  return concat([fields([4, body.length + 8]), enc.encode(type), body])
}

const fullBox = (type: string, version: number, flags: number, ...payload: Uint8Array[]) =>
  box(type, fields([1, version], [3, flags]), ...payload)

const MATRIX = fields(
  [4, 0x10000],
  [4, 0],
  [4, 0],
  [4, 0],
  [4, 0x10000],
  [4, 0],
  [4, 0],
  [4, 0],
  [4, 0x40000000],
)

/** MPEG-4 descriptor: tag, one length byte (all ours are short), body. */
function descriptor(tag: number, ...body: Uint8Array[]): Uint8Array {
  const b = concat(body)
  if (b.length > 127) throw new RangeError('descriptor too long for a one-byte length')
  return concat([fields([1, tag], [1, b.length]), b])
}

/** AudioSpecificConfig for AAC-LC (object type 2), the two bytes that configure the decoder. */
export function audioSpecificConfig(sampleRate: number, channels: number): Uint8Array {
  const index = ADTS_SAMPLE_RATES.indexOf(sampleRate as (typeof ADTS_SAMPLE_RATES)[number])
  if (index < 0) throw new RangeError(`AAC has no sampling frequency index for ${sampleRate} Hz`)
  return fields([2, (2 << 11) | (index << 7) | (channels << 3)])
}

export interface InitOptions {
  sampleRate: number
  channels: number
  bitrate: number
  /** Samples of encoder priming at the start of the track, removed by the edit list. */
  priming: number
  /** Presented samples (the source's length), so the encoder's final padding is cut off too. */
  totalSamples: number
}

export function initSegment(o: InitOptions): Uint8Array {
  const ts = o.sampleRate
  const ftyp = box('ftyp', enc.encode('iso6'), fields([4, 0]), enc.encode('iso6cmfcmp41'))
  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    fields([4, 0], [4, 0], [4, ts], [4, o.totalSamples], [4, 0x10000], [2, 0x100], [2, 0], [8, 0]),
    MATRIX,
    new Uint8Array(24),
    fields([4, 2]),
  )
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    fields([4, 0], [4, 0], [4, 1], [4, 0], [4, o.totalSamples], [8, 0], [2, 0], [2, 0], [2, 0x100], [2, 0]),
    MATRIX,
    fields([4, 0], [4, 0]),
  )
  const elst = fullBox('elst', 0, 0, fields([4, 1], [4, o.totalSamples], [4, o.priming], [2, 1], [2, 0]))
  const mdhd = fullBox('mdhd', 0, 0, fields([4, 0], [4, 0], [4, ts], [4, 0], [2, 0x55c4], [2, 0]))
  const hdlr = fullBox(
    'hdlr',
    0,
    0,
    fields([4, 0]),
    enc.encode('soun'),
    new Uint8Array(12),
    enc.encode('SoundHandler\0'),
  )
  const esds = fullBox(
    'esds',
    0,
    0,
    descriptor(
      3,
      fields([2, 1], [1, 0]),
      descriptor(
        4,
        // MPEG-4 audio, audio stream; buffer size, max and average bitrate.
        fields([1, 0x40], [1, 0x15], [3, 0], [4, Math.round(o.bitrate * 1.5)], [4, o.bitrate]),
        descriptor(5, audioSpecificConfig(o.sampleRate, o.channels)),
      ),
      descriptor(6, fields([1, 2])),
    ),
  )
  const mp4a = box(
    'mp4a',
    new Uint8Array(6),
    fields([2, 1], [8, 0], [2, o.channels], [2, 16], [2, 0], [2, 0], [4, ts * 0x10000]),
    esds,
  )
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, fields([4, 1]), mp4a),
    fullBox('stts', 0, 0, fields([4, 0])),
    fullBox('stsc', 0, 0, fields([4, 0])),
    fullBox('stsz', 0, 0, fields([4, 0], [4, 0])),
    fullBox('stco', 0, 0, fields([4, 0])),
  )
  const dinf = box('dinf', fullBox('dref', 0, 0, fields([4, 1]), fullBox('url ', 0, 1)))
  const minf = box('minf', fullBox('smhd', 0, 0, fields([2, 0], [2, 0])), dinf, stbl)
  const trak = box('trak', tkhd, box('edts', elst), box('mdia', mdhd, hdlr, minf))
  const trex = fullBox('trex', 0, 0, fields([4, 1], [4, 1], [4, AAC_FRAME], [4, 0], [4, 0]))
  return concat([ftyp, box('moov', mvhd, trak, box('mvex', trex))])
}

/**
 * One media segment. `firstFrame` is the index of frames[0] on the track's frame grid; its
 * decode time (tfdt) is firstFrame × 1024, so fragments from different encoder runs line up.
 */
export function mediaSegment(sequence: number, firstFrame: number, frames: Uint8Array[]): Uint8Array {
  const styp = box('styp', enc.encode('msdh'), fields([4, 0]), enc.encode('msdhmsix'))
  const mfhd = fullBox('mfhd', 0, 0, fields([4, sequence]))
  // default-base-is-moof | default-sample-duration-present
  const tfhd = fullBox('tfhd', 0, 0x020008, fields([4, 1], [4, AAC_FRAME]))
  const tfdt = fullBox('tfdt', 1, 0, fields([8, firstFrame * AAC_FRAME]))
  const trunFor = (dataOffset: number) =>
    // data-offset-present | sample-size-present
    fullBox(
      'trun',
      0,
      0x000201,
      fields([4, frames.length], [4, dataOffset]),
      ...frames.map((f) => fields([4, f.length])),
    )
  const moofSize = box('moof', mfhd, box('traf', tfhd, tfdt, trunFor(0))).length
  const moof = box('moof', mfhd, box('traf', tfhd, tfdt, trunFor(moofSize + 8)))
  return concat([styp, moof, box('mdat', ...frames)])
}
