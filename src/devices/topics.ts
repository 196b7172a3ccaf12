import type { Hub } from './hub.ts'

// The live topics a client may subscribe to on the device channel, and what each carries.
// The scanner, catalog and playlists domains publish the first three; the devices domain
// publishes now-playing itself. Extra fields a publisher adds pass through to clients unchanged.

export const LIVE_TOPICS = ['scan', 'library', 'playlists', 'now-playing'] as const
export type LiveTopic = (typeof LIVE_TOPICS)[number]

export interface ScanProgress {
  status: 'running' | 'done' | 'failed'
  phase?: string
  done?: number
  total?: number
  folderId?: number
  message?: string
  [field: string]: unknown
}

export interface LibraryChange {
  added: number
  changed: number
  removed: number
  [field: string]: unknown
}

export interface PlaylistChange {
  playlistId: number
  change: 'created' | 'updated' | 'deleted'
  [field: string]: unknown
}

/** The household's "now playing": one user's playback, as it changes. */
export interface NowPlaying {
  userId: number
  /** Known once one of the user's devices has connected since the server started. */
  username: string | null
  device: { id: string; name: string } | null
  trackId: number | null
  playing: boolean
  positionMs: number
  observedAt: number
}

export interface LiveTopics {
  scan: ScanProgress
  library: LibraryChange
  playlists: PlaylistChange
  'now-playing': NowPlaying
}

export type LiveHub = Hub<LiveTopics>
