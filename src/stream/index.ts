// Streaming: the play call, signed media URLs, HLS playlists and segments, progressive files with
// ranges. HTTP-free: src/api/rest/ translates requests into these calls and their answers back.
import type { Access } from './access.ts'
import { archiveCalls } from './archive.ts'
import { createContext, type StreamingDeps } from './context.ts'
import { loadMediaKeys } from './keyring.ts'
import { mediaCalls } from './media.ts'
import { playCalls } from './play.ts'
import { DEFAULT_URL_POLICY, maxUrlLifetimeMs } from './urls.ts'

export { type Access, originalMimeType, type StreamRequest, streamChoice } from './access.ts'
export { type Archive, type ArchiveRequest, type ArchiveSong, entryNames } from './archive.ts'
export type { ResolveTrack, StreamingDeps, StreamTrack } from './context.ts'
export { loadMediaKeys, type MediaKeys } from './keyring.ts'
export { type Grant, IMMUTABLE, PLAYLIST_CACHE, type ServedFile } from './media.ts'
export type { PlayInfo, Rendition } from './play.ts'
export { INIT_SEGMENT } from './playlists.ts'
export { contentRange, type Decision, decide, type RequestConditions } from './ranges.ts'
export { DEFAULT_URL_POLICY, fileResource, hlsResource, MEDIA_PREFIX, type UrlPolicy } from './urls.ts'

export function createStreaming(deps: StreamingDeps) {
  const ctx = createContext(deps, deps.urls ?? DEFAULT_URL_POLICY)
  return { ...playCalls(ctx), ...mediaCalls(ctx), ...archiveCalls(ctx) }
}

export type Streaming = ReturnType<typeof createStreaming>

/**
 * What the composition root calls: the media keys from `<data>/keys` (a rotated-out key stays
 * valid as long as the URLs it signed can live) and the streaming calls over them.
 */
export function openStreaming(
  dataDir: string,
  deps: Omit<StreamingDeps, 'keys' | 'access'> & { access: (userId: number) => Access | null },
): Streaming {
  const keys = loadMediaKeys(dataDir, { graceMs: maxUrlLifetimeMs(deps.urls ?? DEFAULT_URL_POLICY) })
  return createStreaming({ ...deps, keys })
}
