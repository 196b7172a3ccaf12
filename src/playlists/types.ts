import type { Principal } from '../accounts/index.ts'
import type { TrackSummary } from '../catalog/index.ts'

/** Who is asking: their id, role and token scopes (admin powers need both), and the folders they may see. */
export type Viewer = Pick<Principal, 'userId' | 'role' | 'scopes' | 'folderIds'>

export interface PlaylistSummary {
  id: number
  name: string
  comment: string
  owner: { id: number; username: string }
  public: boolean
  /** Entries whose track the viewer may see and is present; the others are kept but not shown. */
  entryCount: number
  /** Seconds, over the same entries. */
  duration: number
  createdAt: string
  changedAt: string
  /** Everyone may add, move and remove its tracks (it is public too); only the owner renames or deletes it. */
  collaborative: boolean
  /** The viewer may change it all (the owner, or an admin). */
  editable: boolean
  /** The viewer may add, move and remove its tracks: `editable`, or a collaborative playlist. */
  tracksEditable: boolean
}

export interface PlaylistEntry {
  /** Stable across moves: what remove and move name. */
  entryId: number
  /** 0-based index in the list as this viewer sees it. */
  index: number
  trackId: number
  addedAt: string
  /** Who added it; null when unknown (added before this was recorded, or that user is gone). */
  addedBy: { id: number; username: string } | null
  track: TrackSummary
}

export interface PlaylistDetail extends PlaylistSummary {
  entries: PlaylistEntry[]
}

export interface NewPlaylist {
  name: string
  comment?: string
  public?: boolean
  /** Implies public. */
  collaborative?: boolean
  trackIds?: readonly number[]
}

/**
 * A change in one transaction. Indexes in `removeIndexes` refer to the list before the change;
 * `addTrackIds` are appended afterwards — Subsonic's updatePlaylist in one call.
 */
export interface PlaylistPatch {
  name?: string
  comment?: string
  /** Making it private ends collaboration too. */
  public?: boolean
  /** Making it collaborative makes it public too. */
  collaborative?: boolean
  removeIndexes?: readonly number[]
  addTrackIds?: readonly number[]
}

/** Which entries: by entry id, or by index in the list the viewer sees. */
export interface EntrySelection {
  entryIds?: readonly number[]
  indexes?: readonly number[]
}

export type ExportFormat = 'm3u' | 'm3u8' | 'xspf'

export interface ExportedPlaylist {
  filename: string
  contentType: string
  body: string
}

/** What the playlists domain publishes after each committed change (the devices hub's `playlists` topic). */
export interface PlaylistChange {
  playlistId: number
  change: 'created' | 'updated' | 'deleted'
  ownerId: number
}

/** Left out: every signed-in user may hear of the change (a public playlist); else only these users. */
export type PublishChange = (change: PlaylistChange, audience?: { userIds: number[] }) => void

export const LIMITS = {
  name: 200,
  comment: 2000,
  /** Entries per playlist: well beyond any listening list, short of a whole library in one row set. */
  entries: 20_000,
} as const
