// Rewrites the tags of FLAC and MP3 files without touching their audio, the way a tagger does:
// for tests of retagging (a file's identity must survive it) and for the scan benchmark's
// library of thousands of distinct files made from a few encoded ones.

const le32 = (n: number) => Uint8Array.of(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255)
const utf8 = (s: string) => new TextEncoder().encode(s)

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Replaces a FLAC file's Vorbis comments; repeated keys give multi-valued tags (ARTISTS=…). */
export function retagFlac(flac: Uint8Array, comments: [string, string][]): Uint8Array {
  if (String.fromCharCode(...flac.subarray(0, 4)) !== 'fLaC') throw new Error('not a FLAC file')
  const blocks: { type: number; body: Uint8Array }[] = []
  let at = 4
  for (;;) {
    const header = flac.subarray(at, at + 4)
    const type = (header[0] ?? 0) & 0x7f
    const length = ((header[1] ?? 0) << 16) | ((header[2] ?? 0) << 8) | (header[3] ?? 0)
    if (type !== 4) blocks.push({ type, body: flac.subarray(at + 4, at + 4 + length) })
    at += 4 + length
    if ((header[0] ?? 0) & 0x80) break
  }
  const vendor = utf8('tonearm-tests')
  const entries = comments.map(([k, v]) => utf8(`${k}=${v}`))
  const comment = concat([
    le32(vendor.length),
    vendor,
    le32(entries.length),
    ...entries.flatMap((e) => [le32(e.length), e]),
  ])
  blocks.splice(1, 0, { type: 4, body: comment })
  const encoded = blocks.map((b, i) => {
    const last = i === blocks.length - 1 ? 0x80 : 0
    const n = b.body.length
    return concat([Uint8Array.of(last | b.type, (n >>> 16) & 255, (n >>> 8) & 255, n & 255), b.body])
  })
  return concat([utf8('fLaC'), ...encoded, flac.subarray(at)])
}

const syncsafe = (n: number) => Uint8Array.of((n >>> 21) & 127, (n >>> 14) & 127, (n >>> 7) & 127, n & 127)

function id3Frame(id: string, body: Uint8Array): Uint8Array {
  return concat([utf8(id), syncsafe(body.length), Uint8Array.of(0, 0), body])
}

export interface Mp3Tags {
  text: [string, string][]
  /** TXXX frames: [description, value]. */
  user?: [string, string][]
  cover?: { mime: string; data: Uint8Array }
}

/** Replaces an MP3's ID3v2 tag with an ID3v2.4 one (UTF-8 text frames, optional front cover). */
export function retagMp3(mp3: Uint8Array, tags: Mp3Tags): Uint8Array {
  let audio = mp3
  while (String.fromCharCode(...audio.subarray(0, 3)) === 'ID3') {
    const size = ((audio[6] ?? 0) << 21) | ((audio[7] ?? 0) << 14) | ((audio[8] ?? 0) << 7) | (audio[9] ?? 0)
    audio = audio.subarray(10 + size + ((audio[5] ?? 0) & 0x10 ? 10 : 0))
  }
  const frames = [
    ...tags.text.map(([id, value]) => id3Frame(id, concat([Uint8Array.of(3), utf8(value)]))),
    ...(tags.user ?? []).map(([desc, value]) =>
      id3Frame('TXXX', concat([Uint8Array.of(3), utf8(desc), Uint8Array.of(0), utf8(value)])),
    ),
    ...(tags.cover
      ? [
          id3Frame(
            'APIC',
            concat([Uint8Array.of(3), utf8(tags.cover.mime), Uint8Array.of(0, 3, 0), tags.cover.data]),
          ),
        ]
      : []),
  ]
  const body = concat(frames)
  return concat([utf8('ID3'), Uint8Array.of(4, 0, 0), syncsafe(body.length), body, audio])
}
