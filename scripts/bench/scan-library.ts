// The scan benchmark's library: thousands of distinct, valid files in FLAC, MP3, Ogg Vorbis and
// M4A, made from the demo library's tracks. Encoding thousands of files would take an hour, so
// only the demo tracks are encoded; every other file is a copy with its own tags (written
// directly for FLAC and MP3, by an ffmpeg stream copy for Ogg and M4A) and a few audio bytes
// changed near its end, so no two files share a payload. Cached in data/bench-library.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { type AudioEngine, createAudioEngine } from '../../src/audio/index.ts'
import { generateDemoLibrary } from '../../src/demo/index.ts'
import { retagFlac, retagMp3 } from '../../tests/helpers/tags.ts'

export const LIBRARY_VERSION = 4
const TRACKS_PER_ALBUM = 12
const ALBUMS_PER_ARTIST = 4

export interface BenchLibrary {
  dir: string
  /** Two halves, to show that memory does not grow with the library. */
  halves: [string, string]
  files: number
}

interface Tags {
  title: string
  artist: string
  album: string
  albumArtist: string
  track: number
  year: number
  genre: string
}

const GENRES = ['Jazz', 'Ambient', 'Electronic', 'Rock', 'Folk', 'Classical']

function tagsFor(i: number): Tags {
  const album = Math.floor(i / TRACKS_PER_ALBUM)
  const artist = `Bench Artist ${Math.floor(album / ALBUMS_PER_ARTIST)}`
  return {
    title: `Track ${i}`,
    artist: i % 9 === 0 ? `${artist} feat. Guest ${i % 17}` : artist,
    album: `Bench Album ${album}`,
    albumArtist: artist,
    track: (i % TRACKS_PER_ALBUM) + 1,
    year: 1960 + (album % 60),
    genre: GENRES[album % GENRES.length] as string,
  }
}

/**
 * Changes audio bytes near the end (inside the payload tail the fingerprint hashes), so every
 * file has its own identity; three places, so one of them is in an Ogg page body.
 */
function perturb(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice()
  for (const back of [2000, 3500, 5000]) {
    out[out.length - back] = i & 255
    out[out.length - back - 1] = (i >> 8) & 255
  }
  return out
}

async function remux(engine: AudioEngine, source: Uint8Array, ext: string, t: Tags): Promise<Uint8Array> {
  const meta: [string, string][] = [
    ['title', t.title],
    ['artist', t.artist],
    ['album', t.album],
    ['album_artist', t.albumArtist],
    ['track', String(t.track)],
    ['date', String(t.year)],
    ['genre', t.genre],
  ]
  const { outputs } = await engine.run({
    args: [
      '-hide_banner',
      '-i',
      `in.${ext}`,
      '-map',
      '0',
      '-c',
      'copy',
      '-map_metadata',
      '-1',
      ...meta.flatMap(([k, v]) => ['-metadata', `${k}=${v}`]),
      // The index in front and the audio last, as the demo writes it, so perturb() hits audio.
      ...(ext === 'm4a' ? ['-movflags', '+faststart'] : []),
      `out.${ext}`,
    ],
    inputs: { [`in.${ext}`]: source },
    outputs: [`out.${ext}`],
  })
  return outputs[`out.${ext}`] as Uint8Array
}

async function makeFile(engine: AudioEngine, base: Uint8Array, ext: string, i: number): Promise<Uint8Array> {
  const t = tagsFor(i)
  if (ext === 'flac')
    return retagFlac(base, [
      ['TITLE', t.title],
      ['ARTIST', t.artist],
      ['ALBUM', t.album],
      ['ALBUMARTIST', t.albumArtist],
      ['TRACKNUMBER', String(t.track)],
      ['DATE', String(t.year)],
      ['GENRE', t.genre],
    ])
  if (ext === 'mp3') {
    const cover = readFileSync(
      join(import.meta.dir, '..', '..', 'data', 'bench-library', 'base', 'cover.jpg'),
    )
    return retagMp3(base, {
      text: [
        ['TIT2', t.title],
        ['TPE1', t.artist],
        ['TALB', t.album],
        ['TPE2', t.albumArtist],
        ['TRCK', String(t.track)],
        ['TDRC', String(t.year)],
        ['TCON', t.genre],
      ],
      cover: { mime: 'image/jpeg', data: cover },
    })
  }
  return remux(engine, base, ext, t)
}

export async function benchLibrary(root: string, files: number): Promise<BenchLibrary> {
  const dir = join(root, `lib-${files}`)
  const halves: [string, string] = [join(dir, 'a'), join(dir, 'b')]
  const marker = join(dir, '.complete')
  if (existsSync(marker) && readFileSync(marker, 'utf8') === `${LIBRARY_VERSION}\n`)
    return { dir, halves, files }

  const engine = await createAudioEngine({ engine: 'auto', workers: 2 })
  try {
    const demo = await generateDemoLibrary(engine, join(root, 'demo'))
    const bases = demo.files.filter((f) => !f.endsWith('.jpg'))
    mkdirSync(join(root, 'base'), { recursive: true })
    writeFileSync(
      join(root, 'base', 'cover.jpg'),
      readFileSync(demo.files.find((f) => f.endsWith('.jpg')) as string),
    )
    const building = `${dir}.partial`
    rmSync(building, { recursive: true, force: true })
    let next = 0
    let done = 0
    const lane = async () => {
      for (let i = next++; i < files; i = next++) {
        const source = bases[i % bases.length] as string
        const ext = extname(source).slice(1)
        const album = Math.floor(i / TRACKS_PER_ALBUM)
        const half = i < files / 2 ? 'a' : 'b'
        const albumDir = join(
          building,
          half,
          `Artist ${Math.floor(album / ALBUMS_PER_ARTIST)}`,
          `Album ${album}`,
        )
        mkdirSync(albumDir, { recursive: true })
        const bytes = perturb(await makeFile(engine, readFileSync(source), ext, i), i)
        writeFileSync(
          join(albumDir, `${String((i % TRACKS_PER_ALBUM) + 1).padStart(2, '0')} - Track ${i}.${ext}`),
          bytes,
        )
        if (++done % 500 === 0) process.stderr.write(`scan bench: generated ${done}/${files} files\n`)
      }
    }
    await Promise.all([lane(), lane(), lane(), lane()])
    rmSync(dir, { recursive: true, force: true })
    renameSync(building, dir)
    writeFileSync(marker, `${LIBRARY_VERSION}\n`)
  } finally {
    await engine.close()
  }
  return { dir, halves, files }
}
