// The shapes of the server's answers that the player reads (see GET /api/openapi.json).

export interface User {
  id: number
  username: string
  role: 'admin' | 'user'
  maxBitrate: number
  canDownload: boolean
  canShare: boolean
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export interface ArtistSummary {
  id: number
  name: string
  albumCount: number
  trackCount: number
}

export interface AlbumSummary {
  id: number
  name: string
  albumArtist: string
  albumArtistId: number | null
  year: number | null
  trackCount: number
  duration: number
  coverId: string | null
  genres: string[]
  playCount: number
}

export interface Track {
  id: number
  title: string
  artist: string
  album: string
  albumId: number
  albumArtist: string
  trackNo: number | null
  discNo: number | null
  duration: number | null
  coverId: string | null
}

export interface Lyrics {
  source: string
  synced: boolean
  lang: string | null
  text: string
}

export interface TrackDetail extends Track {
  lyrics: Lyrics[]
  genres: string[]
  playCount: number
}

export interface AlbumDetail extends AlbumSummary {
  tracks: Track[]
  label: string | null
}

export interface ArtistDetail extends ArtistSummary {
  albums: AlbumSummary[]
  appearsOn: AlbumSummary[]
}

export interface Genre {
  id: number
  name: string
  albumCount: number
  trackCount: number
}

// The play answer's shape is the server's own type (erased at bundling), so the two cannot drift.
import type { PlayInfo as ServerPlayInfo } from '../../src/stream/play.ts'

export type { Rendition } from '../../src/stream/play.ts'

export interface PlayInfo extends ServerPlayInfo {
  /** Set on the copy kept for a pinned track: its URLs point at one rung in Cache Storage. */
  offline?: boolean
}
