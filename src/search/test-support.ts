// Shared by the search tests (not shipped code): a real music folder of small FLAC files with the
// tags each matching case needs, made from one file of the demo library (the project's own WASM
// engine encoded it) by rewriting its Vorbis comments, then scanned into a real catalog.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { demoLibrary } from '../../tests/helpers/library.ts'
import { retagFlac } from '../../tests/helpers/tags.ts'

export interface FixtureTrack {
  artist: string
  album: string
  title: string
  genre?: string
  year?: number
  albumArtist?: string
}

const SOURCE = 'Café Aurora/2019 - Lumière du Soir/01 - Rue des Étoiles.flac'
const safe = (s: string) => s.replace(/[/\\:*?"<>|]/g, '_')

/** Writes each track as Artist/Album/NN - Title.flac under `dir`. */
export async function writeLibrary(dir: string, tracks: readonly FixtureTrack[]): Promise<void> {
  const flac = readFileSync(join(await demoLibrary(), SOURCE))
  tracks.forEach((t, i) => {
    const folder = join(dir, safe(t.albumArtist ?? t.artist), safe(t.album))
    mkdirSync(folder, { recursive: true })
    const comments: [string, string][] = [
      ['TITLE', t.title],
      ['ARTIST', t.artist],
      ['ALBUM', t.album],
      ['TRACKNUMBER', String(i + 1)],
    ]
    if (t.albumArtist) comments.push(['ALBUMARTIST', t.albumArtist])
    if (t.genre) comments.push(['GENRE', t.genre])
    if (t.year) comments.push(['DATE', String(t.year)])
    writeFileSync(
      join(folder, `${String(i + 1).padStart(2, '0')} - ${safe(t.title)}.flac`),
      retagFlac(flac, comments),
    )
  })
}

/** The library the matching tests search: every case of the issue has its item here. */
export const LIBRARY: readonly FixtureTrack[] = [
  { artist: 'The Beatles', album: 'Abbey Road', title: 'Come Together', genre: 'Rock', year: 1969 },
  { artist: 'The Beatles', album: 'Abbey Road', title: 'Something', genre: 'Rock', year: 1969 },
  { artist: 'The Beatles', album: 'Help!', title: 'Yesterday', genre: 'Rock', year: 1965 },
  { artist: 'Beetles Revival', album: 'Tribute', title: 'Love Me Do', genre: 'Pop', year: 2001 },
  { artist: 'Beat Happening', album: 'Jamboree', title: 'Indian Summer', genre: 'Indie', year: 1988 },
  { artist: 'Beyoncé', album: 'Lemonade', title: 'Formation', genre: 'R&B', year: 2016 },
  {
    artist: 'R.E.M.',
    album: 'Automatic for the People',
    title: 'Everybody Hurts',
    genre: 'Alternative',
    year: 1992,
  },
  {
    artist: 'Rage Against the Machine',
    album: 'Rage Against the Machine',
    title: 'Killing in the Name',
    genre: 'Metal',
    year: 1992,
  },
  { artist: 'The Chart Kings', album: 'Top Forty', title: 'Billboard Love', genre: 'Pop', year: 1995 },
  { artist: 'Cover Band', album: 'Road Covers', title: 'Abbey Road Blues', genre: 'Rock', year: 2010 },
  { artist: 'Cover Band', album: 'Road Covers', title: 'Yesterday', genre: 'Rock', year: 2010 },
  { artist: '宇多田ヒカル', album: '初恋', title: '初恋', genre: 'J-Pop', year: 2018 },
  { artist: '周杰伦', album: '叶惠美', title: '晴天', genre: 'Mandopop', year: 2003 },
  { artist: 'AC/DC', album: 'Back in Black', title: 'Hells Bells', genre: 'Rock', year: 1980 },
]

/** A second music folder, for grants: only users granted it find these. */
export const PRIVATE_LIBRARY: readonly FixtureTrack[] = [
  { artist: 'Secret Singer', album: 'Hidden Tapes', title: 'Yesterday Once More', genre: 'Pop', year: 1973 },
]

/**
 * A seeded source of random phrases over `words`, for the synthetic catalogs that compare our
 * lists and scores with a plain computation: the same seed gives the same catalog every run.
 */
export function phrases(seed: number, words: readonly string[]) {
  let s = seed
  const random = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
  const phrase = (maxWords: number) =>
    Array.from(
      { length: 1 + Math.floor(random() * maxWords) },
      () => words[Math.floor(random() * words.length)],
    ).join(' ')
  return { random, phrase }
}
