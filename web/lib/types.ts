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

export interface Rendition {
  id: string
  kind: 'hls' | 'file' | 'original'
  codec: string
  bitrateKbps?: number
  mimeType: string
  url: string
}

export interface PlayInfo {
  trackId: number
  hls: string
  progressive: string
  durationMs: number
  gainDb: number
  /** `none` until the server has measured the track's loudness (it does so with the first cut). */
  gain?: { basis: 'ebur128' | 'replaygain' | 'none' }
  expiresAt: string
  renditions: Rendition[]
  /** Set on the copy kept for a pinned track: its URLs point at one rung in Cache Storage. */
  offline?: boolean
}
