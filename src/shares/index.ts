// Shares: public, expiring links to tracks, albums and playlists that play in any browser
// without an account. Media URLs are signed for the share's owner when a visitor presses play,
// after checking the share is still active. HTTP-free: src/api/rest/shares.ts and
// src/api/pages/share-page.ts translate.
export { createShares, type Shares, type SharesDeps } from './shares.ts'
export {
  type NewShare,
  type PublicShare,
  SHARE_ID,
  SHARE_KINDS,
  SHARE_LIMITS,
  type Share,
  type ShareItem,
  type ShareItemRef,
  type ShareKind,
  type SharePatch,
  type Sharer,
  type ShareStream,
  type ShareView,
} from './types.ts'
