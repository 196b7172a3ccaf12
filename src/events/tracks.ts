import type { EventOf, LoggedEvent } from './schema.ts'

/** What the events domain needs to know about a track; the catalog provides it. */
export interface ResolvedTrack {
  durationMs: number
  albumId: string | null
  artistIds: string[]
  title: string
  artist: string
  album: string
}

/**
 * Looks a track up in the catalog. Synchronous because consumers call it inside their SQLite
 * transaction; null for a track the catalog does not know (removed, or never scanned).
 */
export type TrackResolver = (trackId: string) => ResolvedTrack | null

/** Each track resolved once per batch: batches repeat the same tracks many times. */
export function memoResolver(resolve: TrackResolver): TrackResolver {
  const seen = new Map<string, ResolvedTrack | null>()
  return (id) => {
    let hit = seen.get(id)
    if (hit === undefined) {
      hit = resolve(id)
      seen.set(id, hit)
    }
    return hit
  }
}

export interface PlayRule {
  /** A listen of at least this long counts as a play… */
  minMs: number
  /** …and so does one covering at least this fraction of the track. */
  fraction: number
}

/** A completed listen: the unit every counting consumer works with. */
export interface Listen {
  trackId: string
  heardMs: number
  /** Whether it counts as a play under the rule. */
  counted: boolean
  /** When the track started playing (what scrobbling services want). */
  startedAt: number
}

export function countsAsPlay(heardMs: number, durationMs: number | undefined, rule: PlayRule): boolean {
  if (heardMs >= rule.minMs) return true
  return durationMs !== undefined && durationMs > 0 && heardMs >= durationMs * rule.fraction
}

/**
 * The listen an event reports, if any. A play_ended counts when long enough; a Subsonic
 * scrobble with submission=true is the client's word that a play happened, so it counts once,
 * credited with the track's length since the client does not say how much was heard.
 */
export function listenOf(e: LoggedEvent, resolve: TrackResolver, rule: PlayRule): Listen | null {
  if (e.type === 'play_ended') {
    const track = resolve(e.trackId)
    return {
      trackId: e.trackId,
      heardMs: e.heardMs,
      counted: countsAsPlay(e.heardMs, track?.durationMs, rule),
      startedAt: e.at - e.heardMs,
    }
  }
  if (e.type === 'scrobble' && e.submission) {
    return {
      trackId: e.trackId,
      heardMs: resolve(e.trackId)?.durationMs ?? 0,
      counted: true,
      startedAt: e.at,
    }
  }
  return null
}

/** A play being started: play_started, or Subsonic's "now playing" scrobble. */
export const isStart = (
  e: LoggedEvent,
): e is EventOf<'play_started'> | (EventOf<'scrobble'> & { submission: false }) =>
  e.type === 'play_started' || (e.type === 'scrobble' && !e.submission)

/**
 * The resolver of a server without a catalog: every track is unknown. Plays then count by the
 * seconds threshold alone, there are no album or artist roll-ups, and nothing can be scrobbled
 * (the services need artist and title).
 */
export const noCatalog: TrackResolver = () => null
