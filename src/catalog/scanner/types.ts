import { join } from 'node:path'

/** A file the walk found, as the compare phase saw it. Paths are relative to the music folder. */
export interface FileRef {
  folderId: number
  /** Absolute path of the music folder. */
  root: string
  /** Directory relative to the music folder, '' for its root, '/'-separated. */
  dir: string
  name: string
  size: number
  mtime: number
  /** mtime of `<base>.lrc` beside the file, null when there is none. */
  lrcMtime: number | null
  /** The catalog has a track or problem at this path (so the writer must look it up). */
  known: boolean
}

export const absolutePath = (f: { root: string; dir: string; name: string }) => join(f.root, f.dir, f.name)

export interface Lyric {
  source: 'embedded' | 'file'
  synced: boolean
  lang: string | null
  text: string
}

/** Everything the write phase needs from one audio file; plain data, no picture bytes. */
export interface TrackTags {
  title: string
  titleSort: string | null
  artist: string
  artists: string[]
  artistSort: string | null
  albumArtist: string
  albumArtists: string[]
  albumArtistSort: string | null
  album: string
  albumSort: string | null
  composer: string | null
  composers: string[]
  genres: string[]
  trackNo: number | null
  trackOf: number | null
  discNo: number | null
  discOf: number | null
  discSubtitle: string | null
  year: number | null
  date: string | null
  originalYear: number | null
  originalDate: string | null
  compilation: boolean
  duration: number | null
  bitrate: number | null
  sampleRate: number | null
  bitDepth: number | null
  channels: number | null
  codec: string | null
  container: string | null
  lossless: boolean | null
  rgTrackGain: number | null
  rgTrackPeak: number | null
  rgAlbumGain: number | null
  rgAlbumPeak: number | null
  r128TrackGain: number | null
  r128AlbumGain: number | null
  mbRecordingId: string | null
  mbReleaseTrackId: string | null
  mbAlbumId: string | null
  mbReleaseGroupId: string | null
  mbArtistIds: string[]
  mbAlbumArtistIds: string[]
  isrc: string | null
  bpm: number | null
  label: string | null
  comment: string | null
}

export interface CoverRef {
  id: string
  mime: string
  bytes: number
}

export type ProblemReason =
  | 'empty'
  | 'unsupported'
  | 'truncated'
  | 'corrupt'
  | 'no_audio'
  | 'timeout'
  | 'unreadable'

export type ReadOutcome =
  | {
      kind: 'track'
      file: FileRef
      tags: TrackTags
      fingerprint: string
      cover: CoverRef | null
      lyrics: Lyric[]
    }
  | { kind: 'problem'; file: FileRef; reason: ProblemReason; message: string }

export interface ScanOptions {
  /** Splits single artist tags into several artists; explicit ARTISTS tags are never split. */
  artistSeparators: readonly string[]
  /** A file whose parse takes longer is recorded as a `timeout` problem. */
  parseTimeoutMs: number
  /** Worker threads that parse files. */
  workers: number
  /** Rows per write transaction. */
  batchSize: number
}
