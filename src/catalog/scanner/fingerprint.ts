import { createHash } from 'node:crypto'
/** Reads up to `length` bytes at `position` into `target`; returns how many it read. */
export type ReadAt = (target: Uint8Array, position: number, length: number) => number

// A track's identity across moves, renames and retagging: a hash of where the audio payload
// starts and ends, never of the path or the tags. Tags live before the audio (ID3v2, FLAC
// metadata blocks, Ogg comment pages) or after it (ID3v1, APE), so each container's payload is
// located first; formats not handled here fall back to the file minus ID3 and APE tags, which
// still survives moves and renames. Duration is left out: it depends on how hard the parser
// looked (estimated vs counted), and the payload bytes already pin the audio down.

const CHUNK = 16 * 1024

type Fd = ReadAt

function readAt(read: ReadAt, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(Math.max(0, length))
  return buf.subarray(0, buf.length === 0 ? 0 : read(buf, position, buf.length))
}

/** Whether the bytes at `at` spell `tag` (ASCII); no string is built, this runs per page. */
function is(b: Uint8Array, at: number, tag: string): boolean {
  for (let i = 0; i < tag.length; i++) if (b[at + i] !== tag.charCodeAt(i)) return false
  return true
}
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n))
// Additions, not bitwise ORs: JavaScript's bit operators would turn sizes ≥ 2 GiB negative.
const u32be = (b: Uint8Array, at: number) =>
  (b[at] ?? 0) * 2 ** 24 + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0)
const u32le = (b: Uint8Array, at: number) =>
  (b[at + 3] ?? 0) * 2 ** 24 + ((b[at + 2] ?? 0) << 16) + ((b[at + 1] ?? 0) << 8) + (b[at] ?? 0)
const syncsafe = (b: Uint8Array, at: number) =>
  ((b[at] ?? 0) << 21) | ((b[at + 1] ?? 0) << 14) | ((b[at + 2] ?? 0) << 7) | (b[at + 3] ?? 0)

/** Skips any ID3v2 tags at `pos` (some files carry several). */
function skipId3v2(h: Fd, pos: number, size: number): number {
  for (let guard = 0; guard < 8 && pos + 10 <= size; guard++) {
    const header = readAt(h, pos, 10)
    if (!is(header, 0, 'ID3')) break
    const footer = ((header[5] ?? 0) & 0x10) !== 0 ? 10 : 0
    pos += 10 + syncsafe(header, 6) + footer
  }
  return pos
}

/** Trailing ID3v1 and APEv2 tags, which taggers add to MP3, APE, WavPack, Musepack and even FLAC. */
function trailingTagsStart(h: Fd, end: number): number {
  if (end >= 128 && is(readAt(h, end - 128, 3), 0, 'TAG')) end -= 128
  if (end >= 32) {
    const footer = readAt(h, end - 32, 32)
    if (is(footer, 0, 'APETAGEX')) {
      const hasHeader = ((footer[23] ?? 0) & 0x80) !== 0
      end -= u32le(footer, 12) + (hasHeader ? 32 : 0)
    }
  }
  return Math.max(0, end)
}

function flacAudioStart(h: Fd, pos: number, size: number): number {
  pos += 4
  for (let guard = 0; guard < 1024 && pos + 4 <= size; guard++) {
    const header = readAt(h, pos, 4)
    const last = ((header[0] ?? 0) & 0x80) !== 0
    pos += 4 + (((header[1] ?? 0) << 16) | ((header[2] ?? 0) << 8) | (header[3] ?? 0))
    if (last) break
  }
  return pos
}

/** The payload of the first `mdat` (MP4) or `data`/`SSND` chunk (WAV, AIFF). */
function findChunk(
  h: Fd,
  pos: number,
  size: number,
  wanted: string,
  read: (b: Uint8Array) => { id: string; header: number; length: number },
): [number, number] | null {
  for (let guard = 0; guard < 4096 && pos + 8 <= size; guard++) {
    const { id, header, length } = read(readAt(h, pos, 16))
    if (id === wanted) return [pos + header, Math.min(size, pos + header + length)]
    if (length <= 0 && header === 0) return null
    pos += header + length + (wanted !== 'mdat' && length % 2 === 1 ? 1 : 0)
  }
  return null
}

const mp4Atom = (b: Uint8Array) => {
  const size32 = u32be(b, 0)
  const large = size32 === 1 ? u32be(b, 8) * 2 ** 32 + u32be(b, 12) : size32
  const header = size32 === 1 ? 16 : 8
  return { id: ascii(b, 4, 4), header, length: size32 === 0 ? Number.MAX_SAFE_INTEGER : large - header }
}
const riffChunk = (b: Uint8Array) => ({ id: ascii(b, 0, 4), header: 8, length: u32le(b, 4) })
const iffChunk = (b: Uint8Array) => ({ id: ascii(b, 0, 4), header: 8, length: u32be(b, 4) })

/** Page bodies only: retagging renumbers and re-checksums every Ogg page after the comments. */
function oggBodies(b: Uint8Array): Uint8Array[] {
  const bodies: Uint8Array[] = []
  let at = 0
  while (at + 27 <= b.length) {
    if (!is(b, at, 'OggS')) {
      at++
      continue
    }
    const segments = b[at + 26] ?? 0
    let length = 0
    for (let i = 0; i < segments; i++) length += b[at + 27 + i] ?? 0
    const body = at + 27 + segments
    bodies.push(b.subarray(body, Math.min(b.length, body + length)))
    at = body + length
  }
  return bodies
}

/** First page whose granule position is set: Vorbis, Opus and FLAC headers all have granule 0. */
function oggAudioStart(h: Fd, size: number): number {
  let pos = 0
  for (let guard = 0; guard < 4096 && pos + 27 <= size; guard++) {
    const header = readAt(h, pos, 27 + 255)
    if (!is(header, 0, 'OggS')) return 0
    const granule = header.subarray(6, 14)
    if (granule.some((x) => x !== 0) && !granule.every((x) => x === 0xff)) return pos
    const segments = header[26] ?? 0
    let length = 0
    for (let i = 0; i < segments; i++) length += header[27 + i] ?? 0
    pos += 27 + segments + length
  }
  return 0
}

function payloadRange(h: Fd, size: number): { start: number; end: number; ogg: boolean } {
  const start = skipId3v2(h, 0, size)
  const magic = readAt(h, start, 12)
  if (is(magic, 0, 'fLaC')) {
    return { start: flacAudioStart(h, start, size), end: trailingTagsStart(h, size), ogg: false }
  }
  if (is(magic, 0, 'OggS')) return { start: oggAudioStart(h, size), end: size, ogg: true }
  const chunk = is(magic, 4, 'ftyp')
    ? findChunk(h, 0, size, 'mdat', mp4Atom)
    : is(magic, 0, 'RIFF')
      ? findChunk(h, 12, size, 'data', riffChunk)
      : is(magic, 0, 'FORM')
        ? findChunk(h, 12, size, 'SSND', iffChunk)
        : null
  if (chunk) return { start: chunk[0], end: chunk[1], ogg: false }
  return { start, end: trailingTagsStart(h, size), ogg: false }
}

/** The payload fingerprint of an open file, read through the parser's reader (opened once, read-ahead shared). */
export function fingerprintOf(fd: ReadAt, size: number): string {
  let { start, end, ogg } = payloadRange(fd, size)
  if (!(end > start)) [start, end] = [0, size]
  const length = end - start
  const head = readAt(fd, start, Math.min(CHUNK, length))
  const tail = readAt(fd, Math.max(start, end - CHUNK), Math.min(CHUNK, length))
  const hash = createHash('sha256').update(`${length}:`)
  for (const part of ogg ? [...oggBodies(head), ...oggBodies(tail)] : [head, tail]) hash.update(part)
  return hash.digest('hex').slice(0, 32)
}
