import type { Principal } from '../accounts/index.ts'
import type { TrackSummary } from '../catalog/index.ts'
import type { PlayInfo } from '../stream/index.ts'

export const SHARE_KINDS = ['track', 'album', 'playlist'] as const
export type ShareKind = (typeof SHARE_KINDS)[number]

export interface ShareItemRef {
  kind: ShareKind
  id: number
}

/** One item as it is now, seen with its owner's current rights: its name and playable tracks. */
export interface ShareItem extends ShareItemRef {
  name: string
  tracks: TrackSummary[]
}

export interface Share {
  id: string
  /** The public page: `/share/<id>`, on whatever address the recipient reaches this server. */
  path: string
  description: string
  owner: { id: number; username: string }
  createdAt: string
  changedAt: string
  expiresAt: string
  expired: boolean
  visitCount: number
  lastVisitedAt: string | null
  items: ShareItem[]
}

/** What the public page shows: nothing about the owner beyond their name. */
export interface PublicShare {
  id: string
  description: string
  owner: string
  expiresAt: string
  items: ShareItem[]
}

export type ShareView = { state: 'active'; share: PublicShare } | { state: 'expired'; expiredAt: string }
export type ShareStream = { state: 'active'; play: PlayInfo } | { state: 'expired'; expiredAt: string }

export interface NewShare {
  items: readonly ShareItemRef[]
  description?: string
  /** Epoch ms; 30 days from now when left out. */
  expiresAt?: number
}

export interface SharePatch {
  description?: string
  expiresAt?: number
}

export type Sharer = Pick<Principal, 'userId' | 'role' | 'scopes' | 'folderIds' | 'canShare'>

export const SHARE_LIMITS = {
  items: 500,
  description: 1000,
  defaultDays: 30,
  /** Five years: long enough for a family archive, short of forever. */
  maxDays: 5 * 365,
} as const

export const SHARE_ID = /^[A-Za-z0-9_-]{22}$/
