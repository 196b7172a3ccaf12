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
  /** A track the user may see, else 404 — the same answer for one that does not exist, so ids reveal nothing. */
  visibleTrack(access: Access, trackId: number): StreamTrack
}

const VERSION_MEMO = 1024

export function createContext(deps: StreamingDeps, urls: UrlPolicy): Context {
  const versions = new Map<string, string>()
  return {
    ...deps,
    urls,
    now: deps.now ?? Date.now,
    requireAudio() {
      const audio = deps.audio()
      if (!audio) throw busy('the audio engine is still starting; try again in a moment', 2)
      return audio
    },
    sourceOf: (t) => ({
      id: String(t.id),
      path: t.path,
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
    visibleTrack(access, trackId) {
      const track = deps.resolveTrack(trackId)
      if (!track || !access.folderIds.includes(track.folderId)) throw notFound(`track ${trackId}`)
      return track
    },
  }
}

/** Fire-and-forget work (cache warming): its failures are the audio queue's to record and log. */
export const background = (promise: Promise<unknown>) => void promise.catch(() => undefined)
