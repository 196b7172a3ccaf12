import type { Profile } from '../audio/index.ts'
import { mayStream } from './access.ts'
import type { Context, StreamTrack } from './context.ts'
import type { ServedFile } from './media.ts'
import { hlsResource } from './urls.ts'

/**
 * The hot path of a player or a proxy: a segment or init that was just served, asked for again.
 * What the full path learnt about it (the file, its rung, the track's path) is remembered for a
 * second — as long as the catalog's and the ladder's answers are reused anyway (context.ts) — and
 * what can change from one request to the next is checked again at every request: the signature
 * and expiry (a map lookup once verified), the caller, the user's existence, folders and bitrate
 * cap. Anything else, or any doubt, is left to the full path, which also gives every refusal its
 * reason. A file the full path served within the last second was just moved to the fresh end of
 * the audio cache's LRU order, so it is not the one an eviction removes.
 */
export interface HotSegments {
  /** Called by the full path after it served `file` (`init.mp4` or `<n>.m4s`) of a rung. */
  remember(track: StreamTrack, version: string, rung: Rung, file: string, served: ServedFile): void
  /** The file, if remembered and every check holds now; undefined sends the request the full way. */
  lookup(
    token: string,
    trackId: number,
    version: string,
    rungId: string,
    file: string,
    requesterId?: number,
  ): ServedFile | undefined
}

interface Rung {
  profile: Profile
  /** Every rung of the ladder: the cap check needs them (see mayStream). */
  all: readonly Profile[]
}

interface Entry extends Rung {
  at: number
  trackId: number
  path: string
  resource: string
  served: ServedFile
}

/** Same lifetime as the catalog and ladder memos: a changed file or version is seen within it. */
const HOT_MS = 1000
/** Two hundred listeners each a few segments apart fit many times over. */
const HOT_ENTRIES = 4096

type Verify = (token: string, resource: string, nowMs: number) => { userId: number }

export function hotSegments(ctx: Context, verify: Verify): HotSegments {
  const entries = new Map<string, Entry>()
  const keyOf = (trackId: number, version: string, rungId: string, file: string) =>
    `${trackId}/${version}/${rungId}/${file}`
  return {
    remember(track, version, rung, file, served) {
      const key = keyOf(track.id, version, rung.profile.id, file)
      entries.delete(key)
      entries.set(key, {
        ...rung,
        at: ctx.now(),
        trackId: track.id,
        path: track.path,
        resource: hlsResource(track.id),
        served,
      })
      if (entries.size > HOT_ENTRIES) entries.delete(entries.keys().next().value as string)
    },
    lookup(token, trackId, version, rungId, file, requesterId) {
      const e = entries.get(keyOf(trackId, version, rungId, file))
      if (!e) return undefined
      const now = ctx.now()
      if (now - e.at >= HOT_MS || now < e.at) return undefined
      let userId: number
      try {
        userId = verify(token, e.resource, now).userId
      } catch {
        return undefined
      }
      if (requesterId !== undefined && requesterId !== userId) return undefined
      const access = ctx.access(userId)
      if (!access) return undefined
      const track = ctx.resolveTrack(trackId)
      if (!track || track.path !== e.path || !access.folderIds.includes(track.folderId)) return undefined
      if (!mayStream(e.profile, e.all, access.maxBitrate)) return undefined
      return e.served
    },
  }
}
