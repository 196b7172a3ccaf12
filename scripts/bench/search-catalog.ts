// A synthetic catalog for the search benchmark, inserted straight into a real Tonearm database
// (no audio): 5,000 artists, 8,000 albums, 100,000 tracks, genres, and household play counts.
// Names are drawn from a seeded vocabulary with a skewed (Zipf-like) word frequency, so common
// words are as common as "love" and "the" are in a real library; some names carry diacritics,
// punctuation or Japanese text. The same seed gives the same catalog every run.
import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/index.ts'

export const SIZE = { artists: 5000, albums: 8000, tracks: 100_000 }

/** mulberry32: a tiny seeded generator, so runs are comparable. */
export function rng(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const COMMON = `love night heart blue the of you me my in on a to day light time life dream fire rain
  sun moon star home world song dance gold black white red girl boy man city road river sky sea
  summer winter soul baby wild free young old new lost run fall rise blood stone`.split(/\s+/)
const SYLLABLES = `ka ri mo la ne shi to va el an dor mi sa ro be tle qu in ar ven lo ta gr um
  pe sol ha ki ze no fa ru li ma ce ob ix yo da pri st en ol`.split(/\s+/)
const ACCENTED = ['Beyoncé', 'Björk', 'Sigur Rós', 'Motörhead', 'Mötley', 'Café', 'Déjà', 'Señor', 'Ñandú']
const JAPANESE = ['宇多田ヒカル', '初恋', '夜明けの音', '東京', '桜', '少女時代', '晴天', '周杰伦']

export function vocabulary(random: () => number, n = 4000): string[] {
  const words = new Set<string>(COMMON)
  while (words.size < n) {
    const k = 2 + Math.floor(random() * 3)
    let w = ''
    for (let i = 0; i < k; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
    words.add(w)
  }
  return [...words]
}

export interface Catalog {
  dir: string
  words: string[]
  artistNames: string[]
  albumNames: string[]
  trackTitles: string[]
}

export async function createCatalog(dir: string): Promise<Catalog> {
  const sqlite = await openDatabase(dir) // creates the schema through the real migrations
  sqlite.close()
  const random = rng(7)
  const words = vocabulary(random)
  const word = () => words[Math.floor(words.length * random() ** 2.5)] as string
  const cap = (w: string) => w[0]?.toUpperCase() + w.slice(1)
  const phrase = (min: number, max: number) => {
    const n = min + Math.floor(random() * (max - min + 1))
    const r = random()
    if (r < 0.01) return JAPANESE[Math.floor(random() * JAPANESE.length)] as string
    const parts = Array.from({ length: n }, () => cap(word()))
    if (r < 0.03) parts[0] = ACCENTED[Math.floor(random() * ACCENTED.length)] as string
    if (r > 0.98) return parts.map((p) => `${p[0]}.`).join('')
    return parts.join(' ')
  }
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()

  const db = new Database(join(dir, 'tonearm.db'))
  db.run('PRAGMA journal_mode = WAL')
  db.run("INSERT INTO music_folders (id, path, name) VALUES (1, '/bench/music', 'music')")
  const genres = [
    'Rock',
    'Pop',
    'Jazz',
    'Electronic',
    'Hip-Hop',
    'Classical',
    'Metal',
    'Folk',
    'Soul',
    'Ambient',
  ]
  const artistNames: string[] = []
  const albumNames: string[] = []
  const trackTitles: string[] = []
  db.transaction(() => {
    genres.forEach((g, i) => {
      db.run('INSERT INTO genres (id, name, norm_name) VALUES (?, ?, ?)', [i + 1, g, fold(g)])
    })
    const artist = db.prepare(
      'INSERT INTO artists (id, name, norm_name, sort_name, sort_key, album_count, track_count, dirty) VALUES (?, ?, ?, ?, ?, 0, 0, 0)',
    )
    for (let i = 1; i <= SIZE.artists; i++) {
      let name = (random() < 0.15 ? 'The ' : '') + phrase(1, 3)
      while (artistNames.includes(name)) name = `${name} ${i}`
      artistNames.push(name)
      artist.run(i, name, `${fold(name)}#${i}`, name, fold(name).replace(/^the /, ''))
    }
    const album = db.prepare(
      `INSERT INTO albums (id, group_key, name, sort_key, album_artist, album_artist_id, year, track_count, dirty)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`,
    )
    const albumArtist = db.prepare(
      'INSERT INTO album_artists (album_id, artist_id, position) VALUES (?, ?, 0)',
    )
    const albumOf: { artist: number; name: string; year: number; genre: number }[] = []
    for (let i = 1; i <= SIZE.albums; i++) {
      const a = 1 + Math.floor(SIZE.artists * random() ** 1.5)
      const name = phrase(1, 4)
      const year = 1960 + Math.floor(random() * 65)
      albumNames.push(name)
      albumOf.push({ artist: a, name, year, genre: 1 + Math.floor(random() * genres.length) })
      album.run(i, `album-${i}`, name, fold(name), artistNames[a - 1] as string, a, year)
      albumArtist.run(i, a)
    }
    const track = db.prepare(
      `INSERT INTO tracks (id, folder_id, dir, name, size, mtime, fingerprint, title, sort_key, album_id, artist,
         album_artist, year, track_no) VALUES (?, 1, ?, ?, 1000, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const trackArtist = db.prepare(
      "INSERT INTO track_artists (track_id, artist_id, role, position) VALUES (?, ?, 'artist', 0)",
    )
    const trackGenre = db.prepare('INSERT INTO track_genres (track_id, genre_id, position) VALUES (?, ?, 0)')
    const plays = db.prepare(
      "INSERT INTO play_counts_global (kind, item_id, plays, heard_ms) VALUES ('track', ?, ?, 0)",
    )
    for (let i = 1; i <= SIZE.tracks; i++) {
      const albumId = 1 + ((i - 1) % SIZE.albums)
      const al = albumOf[albumId - 1] as (typeof albumOf)[number]
      // Mostly the album artist; sometimes a guest.
      const a = random() < 0.9 ? al.artist : 1 + Math.floor(random() * SIZE.artists)
      const title = phrase(1, 5)
      trackTitles.push(title)
      const artistName = artistNames[a - 1] as string
      track.run(
        i,
        `a${albumId}`,
        `${i}.flac`,
        `fp-${i}`,
        title,
        fold(title),
        albumId,
        artistName,
        artistNames[al.artist - 1] as string,
        al.year,
        Math.ceil(i / SIZE.albums),
      )
      trackArtist.run(i, a)
      trackGenre.run(i, al.genre)
      if (random() < 0.3) plays.run(String(i), 1 + Math.floor(200 * random() ** 4))
    }
    db.run(`INSERT INTO album_genres (album_id, genre_id)
      SELECT DISTINCT t.album_id, tg.genre_id FROM tracks t JOIN track_genres tg ON tg.track_id = t.id`)
    db.run(`UPDATE albums SET track_count = (SELECT count(*) FROM tracks WHERE album_id = albums.id)`)
  })()
  db.close()
  return { dir, words, artistNames, albumNames, trackTitles }
}
