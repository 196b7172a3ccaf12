import { stat } from 'node:fs/promises'
import type { Source } from '../audio/index.ts'
import { forbidden, invalid, notFound } from '../lib/errors.ts'
import { type Access, allowedProfiles, mayStream, originalMimeType, startProfile } from './access.ts'
import { background, type Context, type StreamTrack } from './context.ts'
import { hotSegments } from './hot.ts'
import { INIT_SEGMENT, MEDIA_PLAYLIST, masterPlaylist, mediaPlaylist, segmentFile } from './playlists.ts'
import { tokenVerifier } from './signing.ts'

/** A media request whose signature held: whose it is, and the track it may read. */
export interface Grant {
  access: Access
  track: StreamTrack
  source: Source
}

/** A file to send, with what the HTTP layer needs for caching and ranges. */
export interface ServedFile {
  path: string
  size: number
  /** Strong: the audio cache's content-addressed key, or the original's size and mtime. */
  etag: string
  lastModified?: Date
  contentType: string
  cacheControl: string
}

/** Segments and inits live under a versioned name (see urls.ts): their bytes never change. */
export const IMMUTABLE = 'public, max-age=31536000, immutable'
/** Playlists follow the user's current bitrate cap and the file's current version. */
export const PLAYLIST_CACHE = 'public, max-age=5'
/** Progressive URLs are not versioned: a proxy revalidates (cheaply, by ETag) after a few minutes. */
const FILE_CACHE = 'public, max-age=300'

export function mediaCalls(ctx: Context) {
  const verify = tokenVerifier(ctx.keys)
  const hot = hotSegments(ctx, verify)
  /**
   * Checks a media URL at every request: the signature and expiry, that a signed-in caller is the
   * user it was issued to, and that this user still exists and may still see the track — so
   * deleting a user or withdrawing a folder takes effect at once, not when URLs expire.
   */
  function grant(token: string, trackId: number, resource: string, requesterId?: number): Grant {
    const claim = verify(token, resource, ctx.now())
    if (requesterId !== undefined && requesterId !== claim.userId) {
      throw forbidden(
        'this media URL was issued to another user; ask for your own with POST /api/tracks/{id}/play',
      )
    }
    const access = ctx.access(claim.userId)
    if (!access) throw forbidden('the user this media URL was issued to no longer exists')
    const track = ctx.resolveTrack(trackId)
    if (!track) throw notFound(`track ${trackId}`)
    if (!access.folderIds.includes(track.folderId)) {
      throw forbidden(
        'the folder of this track is no longer shared with the user this media URL was issued to',
      )
    }
    return { access, track, source: ctx.sourceOf(track) }
  }

  /**
   * A grant for a caller the API has already authenticated by other means (Subsonic's `stream`,
   * which carries credentials instead of a signature): the same visibility rule as the play call.
   */
  function grantFor(access: Access, trackId: number): Grant {
    const track = ctx.visibleTrack(access, trackId)
    return { access, track, source: ctx.sourceOf(track) }
  }

  /** The single-file renditions the audio service offers (empty until the engine has started). */
  function fileProfiles() {
    return ctx.requireAudio().ladder.files
  }

  async function ladderOf(g: Grant) {
    const audio = ctx.requireAudio()
    return { audio, ...(await ctx.ladder(g.track)) }
  }

  async function master(g: Grant): Promise<string> {
    const { info, version } = await ladderOf(g)
    const allowed = allowedProfiles(
      info.hls.map((r) => r.profile),
      g.access.maxBitrate,
    )
    const first = startProfile(allowed)
    const ordered = [first, ...allowed.filter((p) => p !== first)]
    return masterPlaylist(
      ordered.map((p) => {
        const rung = info.hls.find((r) => r.profile === p)
        return {
          uri: `hls/${version}/${p.id}/${MEDIA_PLAYLIST}`,
          bandwidth: rung?.bandwidth ?? p.bitrateKbps * 1000,
          // The encoder's target plus fMP4 framing (a moof per segment: well under 1%).
          averageBandwidth: Math.ceil(p.bitrateKbps * 1000 * 1.01),
          codecs: rung?.codecs ?? 'mp4a.40.2',
        }
      }),
    )
  }

  async function rungOf(g: Grant, version: string, rungId: string) {
    const { audio, info, version: current } = await ladderOf(g)
    if (version !== current) {
      throw notFound(
        `version ${version} of track ${g.track.id} (the file or the segment settings changed): fetch the master playlist again`,
      )
    }
    const rung = info.hls.find((r) => r.profile.id === rungId)
    if (!rung) throw notFound(`HLS rendition ${rungId}`)
    const all = info.hls.map((r) => r.profile)
    if (!mayStream(rung.profile, all, g.access.maxBitrate)) {
      throw forbidden(
        `rendition ${rungId} is above this user's maximum bitrate of ${g.access.maxBitrate} kbps`,
      )
    }
    return { audio, info, rung, all }
  }

  async function playlist(g: Grant, version: string, rungId: string): Promise<string> {
    const { info, rung } = await rungOf(g, version, rungId)
    return mediaPlaylist({
      targetDuration: info.targetDuration,
      initUri: INIT_SEGMENT,
      segments: rung.segmentDurations.map((duration, i) => ({ duration, uri: segmentFile(i) })),
    })
  }

  async function init(g: Grant, version: string, rungId: string): Promise<ServedFile> {
    const { audio, rung, all } = await rungOf(g, version, rungId)
    const served = immutable(await audio.getInit(g.source, rungId))
    hot.remember(g.track, version, { profile: rung.profile, all }, INIT_SEGMENT, served)
    return served
  }

  /** Made on demand when not cached, starting at its own timestamp: a seek costs one segment. */
  async function segment(
    g: Grant,
    version: string,
    rungId: string,
    index: number,
    /** Asked for only when the segment must be made: creating a request's signal costs. */
    signal?: () => AbortSignal,
  ): Promise<ServedFile> {
    const { audio, rung, all } = await rungOf(g, version, rungId)
    if (index >= rung.segmentDurations.length) {
      throw notFound(`segment ${index} (this track has segments 0..${rung.segmentDurations.length - 1})`)
    }
    const file = await audio.getSegment(g.source, rungId, index, {
      priority: 'play',
      get signal() {
        return signal?.()
      },
    })
    const served = immutable(file)
    hot.remember(g.track, version, { profile: rung.profile, all }, segmentFile(index), served)
    return served
  }

  async function original(g: Grant): Promise<ServedFile> {
    if (!g.access.canDownload) throw forbidden('this user may not download original files')
    const s = await stat(g.track.path).catch(() => {
      throw notFound(`the file of track ${g.track.id}`)
    })
    return {
      path: g.track.path,
      size: s.size,
      // What nginx uses too: a changed file changes size or mtime.
      etag: `"${s.size.toString(36)}-${Math.floor(s.mtimeMs).toString(36)}"`,
      lastModified: new Date(Math.floor(s.mtimeMs / 1000) * 1000),
      contentType: originalMimeType(g.track.path),
      cacheControl: FILE_CACHE,
    }
  }

  function fileProfile(g: Grant, profileId: string) {
    const audio = ctx.requireAudio()
    const profile = audio.ladder.files.find((p) => p.id === profileId)
    if (!profile) throw notFound(`rendition ${profileId}`)
    if (!mayStream(profile, audio.ladder.files, g.access.maxBitrate)) {
      throw forbidden(
        `rendition ${profileId} is above this user's maximum bitrate of ${g.access.maxBitrate} kbps`,
      )
    }
    return { audio, profile }
  }

  /**
   * A single-file rendition. Cached: the file. Not cached and `wait`: made now at play priority.
   * Not cached otherwise: undefined — the caller streams a live transcode instead, and the
   * cached file is queued in the background so later range requests (seeks) find it.
   */
  async function rendition(
    g: Grant,
    profileId: string,
    o: { wait: boolean; signal?: AbortSignal },
  ): Promise<ServedFile | undefined> {
    const { audio, profile } = fileProfile(g, profileId)
    let file = await audio.cachedRendition(g.source, profileId)
    if (!file && !o.wait) {
      background(audio.getRendition(g.source, profileId, { priority: 'background' }))
      return undefined
    }
    file ??= await audio.getRendition(g.source, profileId, { priority: 'play', signal: o.signal })
    const info = await audio.describe(g.source)
    const mimeType = info.files.find((f) => f.id === profile.id)?.mimeType ?? 'application/octet-stream'
    return {
      path: file.path,
      size: file.size,
      etag: `"${file.key}"`,
      contentType: mimeType,
      cacheControl: FILE_CACHE,
    }
  }

  /** A rendition from `offsetSeconds` on, streamed while ffmpeg encodes (not cached: offsets are arbitrary). */
  async function transcode(g: Grant, format: string, offsetSeconds: number, signal?: AbortSignal) {
    if (format === 'original') {
      throw invalid('t applies to transcoded renditions; seek in the original with a Range request', {
        field: 't',
      })
    }
    const { audio } = fileProfile(g, format)
    return audio.transcodeFrom(g.source, format, offsetSeconds, { signal })
  }

  return {
    grant,
    grantFor,
    fileProfiles,
    master,
    playlist,
    init,
    segment,
    /** A segment or init the full path served within the last second, if every check holds now (hot.ts). */
    hotSegment: hot.lookup,
    original,
    rendition,
    transcode,
  }
}

const immutable = (file: { path: string; size: number; key: string }): ServedFile => ({
  path: file.path,
  size: file.size,
  etag: `"${file.key}"`,
  contentType: 'audio/mp4',
  cacheControl: IMMUTABLE,
})
