import { createHash } from 'node:crypto'
import type { AudioService, LadderInfo, ReplayGainTags, Source } from '../audio/index.ts'
import { busy, notFound } from '../lib/errors.ts'
import type { Access } from './access.ts'
import type { MediaKeys } from './keyring.ts'
import type { UrlPolicy } from './urls.ts'

/** What the streaming layer needs to know about a track; the catalog provides it. */
export interface StreamTrack {
  id: number
  path: string
  folderId: number
  durationMs?: number
  codec?: string
  lossless?: boolean
  sampleRate?: number
  replayGain?: ReplayGainTags
  /** The catalog's audio payload hash: loudness measured before a retag or move is found by it. */
  contentId?: string
}

export type ResolveTrack = (trackId: number) => StreamTrack | null

export interface StreamingDeps {
  /** The audio service once the engine has started (it comes up after the server listens). */
  audio: () => AudioService | undefined
  resolveTrack: ResolveTrack
  /** The current rights of a user, for checking signed URLs at every request; null once the user is gone. */
  access: (userId: number) => Access | null
  keys: MediaKeys
  /** The server version: part of every segment URL's version, so an upgrade never mixes segment formats. */
  version: string
  urls?: UrlPolicy
  now?: () => number
}

export interface Context extends StreamingDeps {
  urls: UrlPolicy
  now: () => number
  requireAudio(): AudioService
  sourceOf(track: StreamTrack): Source
  /** Short name of what a segment URL would contain: see urls.ts. */
  versionOf(info: LadderInfo): string
  /** The ladder of a track and its version, re-read from the audio service at most once a second. */
  ladder(track: StreamTrack): Promise<{ info: LadderInfo; version: string }>
  /** A track the user may see, else 404 — the same answer for one that does not exist, so ids reveal nothing. */
  visibleTrack(access: Access, trackId: number): StreamTrack
}

const VERSION_MEMO = 1024
/**
 * How long a catalog answer is reused. A player asks for a segment every few seconds and a proxy
 * may ask hundreds of times a second; one lookup per track per second keeps the catalog off the
 * hot path, and a removed track or deactivated folder still stops streaming within a second.
 */
const TRACK_MEMO_MS = 1000

function rememberTracks(resolve: ResolveTrack, now: () => number): ResolveTrack {
  const known = new Map<number, { at: number; track: StreamTrack | null }>()
  return (trackId) => {
    const t = now()
    const hit = known.get(trackId)
    if (hit && t - hit.at < TRACK_MEMO_MS && t >= hit.at) return hit.track
    const track = resolve(trackId)
    known.delete(trackId)
    known.set(trackId, { at: t, track })
    if (known.size > VERSION_MEMO) known.delete(known.keys().next().value as number)
    return track
  }
}

export function createContext(deps: StreamingDeps, urls: UrlPolicy): Context {
  const versions = new Map<string, string>()
  const now = deps.now ?? Date.now
  const resolveTrack = rememberTracks(deps.resolveTrack, now)
  // Per track: a segment request then stats the file once (in getSegment), not twice.
  const ladders = new Map<
    number,
    { at: number; path: string; value: { info: LadderInfo; version: string } }
  >()
  return {
    ...deps,
    resolveTrack,
    urls,
    now,
    requireAudio() {
      const audio = deps.audio()
      if (!audio) throw busy('the audio engine is still starting; try again in a moment', 2)
      return audio
    },
    sourceOf: (t) => ({
      id: String(t.id),
      path: t.path,
      contentId: t.contentId,
      durationMs: t.durationMs,
      codec: t.codec,
      lossless: t.lossless,
      sampleRate: t.sampleRate,
    }),
    versionOf(info) {
      // The fingerprint follows the file; the durations follow the segment timing settings, which
      // only change with a restart — so within a process the fingerprint alone is the memo key.
      const known = versions.get(info.fingerprint)
      if (known) return known
      const durations = info.hls[0]?.segmentDurations ?? []
      const version = createHash('sha256')
        .update(`${info.fingerprint}\n${durations.join(',')}\n${deps.version}`)
        .digest('base64url')
        .slice(0, 12)
      versions.set(info.fingerprint, version)
      if (versions.size > VERSION_MEMO) versions.delete(versions.keys().next().value as string)
      return version
    },
    async ladder(track) {
      const t = now()
      const hit = ladders.get(track.id)
      if (hit && hit.path === track.path && t - hit.at < TRACK_MEMO_MS && t >= hit.at) return hit.value
      const info = await this.requireAudio().describe(this.sourceOf(track))
      const value = { info, version: this.versionOf(info) }
      ladders.delete(track.id)
      ladders.set(track.id, { at: t, path: track.path, value })
      if (ladders.size > VERSION_MEMO) ladders.delete(ladders.keys().next().value as number)
      return value
    },
    visibleTrack(access, trackId) {
      const track = resolveTrack(trackId)
      if (!track || !access.folderIds.includes(track.folderId)) throw notFound(`track ${trackId}`)
      return track
    },
  }
}

/** Fire-and-forget work (cache warming): its failures are the audio queue's to record and log. */
export const background = (promise: Promise<unknown>) => void promise.catch(() => undefined)
