import type { Principal } from '../accounts/index.ts'
import type { AlbumSummary, ArtistSummary, TrackSummary } from '../catalog/index.ts'

export type Viewer = Pick<Principal, 'userId' | 'folderIds'>

export const ITEM_KINDS = ['track', 'album', 'artist'] as const
export type ItemKind = (typeof ITEM_KINDS)[number]

export interface ItemRef {
  kind: ItemKind
  id: number
}

/** What a user attached to one item; attach it to summaries with `annotations()`. */
export interface Annotation {
  /** When the user starred it (ISO 8601), or null. */
  starred: string | null
  /** 1–5, or null when unrated. */
  userRating: number | null
}

export interface Starred {
  tracks: (TrackSummary & { starredAt: string })[]
  albums: (AlbumSummary & { starredAt: string })[]
  artists: (ArtistSummary & { starredAt: string })[]
}

export interface Bookmark {
  trackId: number
  positionMs: number
  comment: string
  createdAt: string
  changedAt: string
  track: TrackSummary
}

/** The catalog's bulk lookups: summaries of the visible ones among `ids`, keyed by id. */
export interface Summaries {
  tracks(ids: readonly number[], folderIds: readonly number[]): Map<number, TrackSummary>
  albums(ids: readonly number[], folderIds: readonly number[]): Map<number, AlbumSummary>
  artists(ids: readonly number[], folderIds: readonly number[]): Map<number, ArtistSummary>
}

export const BOOKMARK_COMMENT_MAX = 1000
