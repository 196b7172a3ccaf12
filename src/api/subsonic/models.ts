import { extname } from 'node:path'
import type { AlbumSummary, ArtistSummary, Song } from '../../catalog/index.ts'
import { originalMimeType } from '../../stream/index.ts'
import type { Node } from './encode.ts'
import { albumId, artistId, directoryId, songId } from './ids.ts'

// Catalog items in the shapes of the Subsonic schema (Child, AlbumID3, ArtistID3) with the
// OpenSubsonic additions; field order follows the spec so XML and JSON read like other servers'.

/** What the user attached to an item (stars, ratings, plays), when the library knows it. */
export interface Annotation {
  starred?: string | null
  userRating?: number | null
  playCount?: number
  played?: string | null
}

const seconds = (s: number | null | undefined) => (s === null || s === undefined ? undefined : Math.round(s))
const joinNames = (xs: { name: string }[]) => xs.map((x) => x.name).join(' · ')

export function child(s: Song, a: Annotation = {}): Node {
  const suffix = extname(s.file).slice(1).toLowerCase()
  return {
    id: songId(s.id),
    parent: directoryId(s.folderId, s.dir),
    isDir: false,
    title: s.title,
    album: s.album,
    artist: s.artist,
    track: s.trackNo ?? undefined,
    year: s.year ?? undefined,
    genre: s.genres[0],
    coverArt: s.coverId ?? undefined,
    size: s.size,
    contentType: originalMimeType(s.file),
    suffix,
    starred: a.starred ?? undefined,
    duration: seconds(s.duration),
    bitRate: s.bitrate === null ? undefined : Math.round(s.bitrate / 1000),
    path: s.dir === '' ? s.file : `${s.dir}/${s.file}`,
    userRating: a.userRating ?? undefined,
    playCount: a.playCount,
    discNumber: s.discNo ?? undefined,
    created: s.createdAt,
    albumId: albumId(s.albumId),
    artistId: s.artists[0] ? artistId(s.artists[0].id) : undefined,
    type: 'music',
    isVideo: false,
    played: a.played ?? undefined,
    bpm: s.bpm === null ? undefined : Math.round(s.bpm),
    comment: s.comment ?? undefined,
    mediaType: 'song',
    musicBrainzId: s.mbRecordingId ?? undefined,
    isrc: s.isrc ? [s.isrc] : [],
    genres: s.genres.map((name) => ({ name })),
    replayGain: Object.values(s.replayGain).some((v) => v !== null)
      ? {
          trackGain: s.replayGain.trackGain ?? undefined,
          albumGain: s.replayGain.albumGain ?? undefined,
          trackPeak: s.replayGain.trackPeak ?? undefined,
          albumPeak: s.replayGain.albumPeak ?? undefined,
        }
      : undefined,
    channelCount: s.channels ?? undefined,
    samplingRate: s.sampleRate ?? undefined,
    bitDepth: s.bitDepth ?? undefined,
    moods: [],
    artists: s.artists.map((x) => ({ id: artistId(x.id), name: x.name })),
    displayArtist: s.artist,
    albumArtists: s.albumArtists.map((x) => ({ id: artistId(x.id), name: x.name })),
    displayAlbumArtist: s.albumArtist,
    contributors: s.composers.map((x) => ({
      role: 'composer',
      artist: { id: artistId(x.id), name: x.name },
    })),
    displayComposer: s.composer ?? (s.composers.length > 0 ? joinNames(s.composers) : undefined),
  }
}

export function albumID3(al: AlbumSummary, a: Annotation = {}): Node {
  return {
    id: albumId(al.id),
    name: al.name,
    artist: al.albumArtist,
    artistId: al.albumArtistId === null ? undefined : artistId(al.albumArtistId),
    coverArt: al.coverId ?? undefined,
    songCount: al.trackCount,
    duration: seconds(al.duration),
    playCount: a.playCount ?? al.playCount,
    created: al.createdAt,
    starred: a.starred ?? undefined,
    year: al.year ?? undefined,
    genre: al.genres[0],
    played: a.played ?? undefined,
    userRating: a.userRating ?? undefined,
    genres: al.genres.map((name) => ({ name })),
    artists: al.albumArtistId === null ? [] : [{ id: artistId(al.albumArtistId), name: al.albumArtist }],
    displayArtist: al.albumArtist,
    isCompilation: al.compilation,
    originalReleaseDate: al.originalYear ? { year: al.originalYear } : undefined,
    releaseDate: al.year ? { year: al.year } : undefined,
    recordLabels: [],
    moods: [],
    releaseTypes: [],
  }
}

/** An album as a directory entry (the folder-era lists: getAlbumList, getMusicDirectory of an artist). */
export function albumChild(al: AlbumSummary, a: Annotation = {}): Node {
  return {
    id: albumId(al.id),
    parent: al.albumArtistId === null ? undefined : artistId(al.albumArtistId),
    isDir: true,
    title: al.name,
    name: al.name,
    album: al.name,
    artist: al.albumArtist,
    year: al.year ?? undefined,
    genre: al.genres[0],
    coverArt: al.coverId ?? undefined,
    starred: a.starred ?? undefined,
    duration: seconds(al.duration),
    userRating: a.userRating ?? undefined,
    playCount: a.playCount ?? al.playCount,
    created: al.createdAt,
    songCount: al.trackCount,
    albumId: albumId(al.id),
    artistId: al.albumArtistId === null ? undefined : artistId(al.albumArtistId),
    isVideo: false,
  }
}

export function artistID3(ar: ArtistSummary, a: Annotation = {}): Node {
  return {
    id: artistId(ar.id),
    name: ar.name,
    albumCount: ar.albumCount,
    starred: a.starred ?? undefined,
    userRating: a.userRating ?? undefined,
    musicBrainzId: ar.mbArtistId ?? undefined,
    sortName: ar.sortName,
    roles: ar.albumCount > 0 ? ['albumartist'] : ['artist'],
  }
}

/** Index letters: the first letter of the sort name ("The Beatles" under B), else '#'. */
export function indexLetter(sortName: string): string {
  const first = sortName
    .replace(/^the\s+/i, '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .charAt(0)
    .toUpperCase()
  return /\p{L}/u.test(first) ? first : '#'
}

/** Groups items into Subsonic's index entries, letters in order, '#' last. */
export function byIndex<T>(
  items: T[],
  sortName: (t: T) => string,
  entry: (t: T) => Node,
  key: string,
): Node[] {
  const groups = new Map<string, Node[]>()
  for (const item of items) {
    const letter = indexLetter(sortName(item))
    groups.set(letter, [...(groups.get(letter) ?? []), entry(item)])
  }
  return [...groups.keys()]
    .sort((x, y) => (x === '#' ? 1 : y === '#' ? -1 : x.localeCompare(y)))
    .map((name) => ({ name, [key]: groups.get(name) as Node[] }))
}
