import type { MediaKeys } from './keyring.ts'
import { MASTER_PLAYLIST, MEDIA_PLAYLIST } from './playlists.ts'
import { expiryFor, signToken } from './signing.ts'

/**
 * The media URL scheme, all under one prefix the auth guard lists as public:
 *
 *   /api/media/<token>/tracks/<id>/master.m3u8                      master playlist
 *   /api/media/<token>/tracks/<id>/hls/<version>/<rung>/index.m3u8  media playlist
 *   /api/media/<token>/tracks/<id>/hls/<version>/<rung>/init.mp4    fMP4 init segment
 *   /api/media/<token>/tracks/<id>/hls/<version>/<rung>/<n>.m4s     media segment n
 *   /api/media/<token>/tracks/<id>/file/<format>[?t=seconds]       progressive: original or a rendition
 *
 * An HLS token signs the resource `tracks/<id>/hls`, which covers the master playlist and every
 * media playlist and segment of the track; a progressive token signs `tracks/<id>/file/<format>` exactly. `<version>` changes
 * whenever the audio behind a segment name would (another file, other segment timing, another
 * server version), which is what lets segments be cached as immutable. The master playlist sits
 * beside `hls/` rather than in it: a static name where other routes have a parameter would make
 * Hono fall back from its RegExpRouter to the TrieRouter for the whole app, which measured 35%
 * of the CPU time of serving a cached segment.
 */
export const MEDIA_PREFIX = '/api/media'

export const hlsResource = (trackId: number) => `tracks/${trackId}/hls`
export const fileResource = (trackId: number, format: string) => `tracks/${trackId}/file/${format}`

export interface UrlPolicy {
  /** A URL stays valid at least this long… */
  ttlSeconds: number
  /** …and its expiry is rounded up to a multiple of this, so repeated play calls give the same URLs. */
  windowSeconds: number
}

/** Six hours covers a paused track or a long album; the hour window lets caches hit across play calls. */
export const DEFAULT_URL_POLICY: UrlPolicy = { ttlSeconds: 6 * 3600, windowSeconds: 3600 }

/** Longest a URL lives: how long a rotated-out key must keep verifying. */
export const maxUrlLifetimeMs = (p: UrlPolicy) => (p.ttlSeconds + p.windowSeconds) * 1000

export function mediaUrls(
  keys: MediaKeys,
  policy: UrlPolicy,
  userId: number,
  trackId: number,
  nowMs: number,
) {
  const expires = expiryFor(nowMs, policy.ttlSeconds, policy.windowSeconds)
  const claim = { userId, expires }
  const trackBase = `${MEDIA_PREFIX}/${signToken(keys.current, claim, hlsResource(trackId))}/tracks/${trackId}`
  return {
    expiresAt: new Date(expires * 1000),
    master: `${trackBase}/${MASTER_PLAYLIST}`,
    mediaPlaylist: (version: string, rung: string) => `${trackBase}/hls/${version}/${rung}/${MEDIA_PLAYLIST}`,
    file: (format: string) =>
      `${MEDIA_PREFIX}/${signToken(keys.current, claim, fileResource(trackId, format))}/tracks/${trackId}/file/${format}`,
  }
}
