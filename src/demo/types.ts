/** Shapes of the demo library's data; the data itself is in catalog.ts. */

export type DemoFormat = 'flac' | 'mp3' | 'ogg' | 'm4a'
export type ScaleName = 'major' | 'minor' | 'dorian' | 'mixolydian' | 'yo' | 'insen'
export type Lead = 'epiano' | 'vibes' | 'koto' | 'bell'
export type Pad = 'strings' | 'saw'
export type Groove = 'brushes' | 'four-on-floor' | 'none'
export type CoverMotif = 'sunset' | 'waves' | 'grid' | 'rings'

export interface TrackMusic {
  /** MIDI note of the tonic. */
  key: number
  scale: ScaleName
  bpm: number
  /** Scale degrees (0-based), one chord per bar, repeated as needed. */
  progression: number[]
  lead: Lead
  pad?: Pad
  groove: Groove
  /** Seeds the melody so every track is distinct but regenerates identically. */
  seed: number
}

export interface DemoTrack {
  title: string
  artist: string
  /** Seconds. */
  duration: number
  /** Overrides the album genre (compilations mix genres). */
  genre?: string
  music: TrackMusic
}

export interface DemoAlbum {
  title: string
  albumArtist: string
  year: number
  genre: string
  format: DemoFormat
  compilation?: boolean
  cover: { motif: CoverMotif; colors: [string, string, string] }
  discs: DemoTrack[][]
}
