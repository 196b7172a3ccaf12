// Playlists: a user's ordered lists of tracks, private or public. Order keys are fractional
// indexes, so placing entries writes only those rows; every read and write respects the viewer's
// music-folder grants; changes are published for live updates; M3U and XSPF export. HTTP-free:
// src/api/rest/playlists.ts (and the Subsonic API) translate to these calls.
export { createPlaylists, type Playlists, type PlaylistsDeps } from './playlists.ts'
export {
  type EntrySelection,
  type ExportedPlaylist,
  type ExportFormat,
  LIMITS as PLAYLIST_LIMITS,
  type NewPlaylist,
  type PlaylistChange,
  type PlaylistDetail,
  type PlaylistEntry,
  type PlaylistPatch,
  type PlaylistSummary,
  type PublishChange,
  type Viewer,
} from './types.ts'

export const EXPORT_FORMATS = ['m3u', 'm3u8', 'xspf'] as const
