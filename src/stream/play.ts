import type { Gain } from '../audio/index.ts'
import { type Access, allowedProfiles, originalMimeType, progressiveChoice, startProfile } from './access.ts'
import { background, type Context } from './context.ts'
import { mediaUrls } from './urls.ts'

export interface Rendition {
  id: string
  kind: 'hls' | 'file' | 'original'
  codec: string
  bitrateKbps?: number
  mimeType: string
  /** Media playlist (hls) or progressive URL (file, original). */
  url: string
}

export interface PlayInfo {
  trackId: number
  /** The HLS master playlist: the rungs this user may stream. */
  hls: string
  /** One file: the original or a rendition, with Range support (`?t=seconds` starts a transcode there). */
  progressive: string
  durationMs: number
  /** Loudness normalization: apply this gain (dB) to reach the configured target. */
  gainDb: number
  gain: Gain
  /** When every URL here stops working (rounded up to the hour, so caches see the same URLs). */
  expiresAt: string
  renditions: Rendition[]
}

/** The segments a prefetch warms: the first one, and the audio service reads three ahead of it. */
const PREFETCHED = [0, 1, 2, 3]

export function playCalls(ctx: Context) {
  async function play(access: Access, trackId: number): Promise<PlayInfo> {
    const track = ctx.visibleTrack(access, trackId)
    const audio = ctx.requireAudio()
    const source = ctx.sourceOf(track)
    const info = await audio.describe(source)
    const hls = allowedProfiles(
      info.hls.map((r) => r.profile),
      access.maxBitrate,
    )
    const start = startProfile(hls)
    // The player's first requests, started while this answer travels: the init is written without
    // ffmpeg, and segment 0 (2 s by default) brings the read-ahead of the next three with it.
    background(audio.getInit(source, start.id))
    background(audio.getSegment(source, start.id, 0, { priority: 'play' }))
    const gain = await audio.playbackGain(source, track.replayGain)
    if (gain.basis !== 'ebur128') background(audio.loudness(source, { priority: 'background' }))

    const urls = mediaUrls(ctx.keys, ctx.urls, access.userId, trackId, ctx.now())
    const version = ctx.versionOf(info)
    const files = allowedProfiles(info.files, access.maxBitrate)
    const renditions: Rendition[] = [
      ...hls.map((p) => ({
        id: p.id,
        kind: 'hls' as const,
        codec: p.codec,
        bitrateKbps: p.bitrateKbps,
        mimeType: 'application/vnd.apple.mpegurl',
        url: urls.mediaPlaylist(version, p.id),
      })),
      ...files.map((p) => ({
        id: p.id,
        kind: 'file' as const,
        codec: p.codec,
        bitrateKbps: p.bitrateKbps,
        mimeType: p.mimeType,
        url: urls.file(p.id),
      })),
    ]
    if (access.canDownload) {
      renditions.push({
        id: 'original',
        kind: 'original',
        codec: track.codec ?? info.original?.codec ?? 'unknown',
        mimeType: originalMimeType(track.path),
        url: urls.file('original'),
      })
    }
    const choice = progressiveChoice(access, files, track.path)
    return {
      trackId,
      hls: urls.master,
      progressive: urls.file(choice.format === 'original' ? 'original' : choice.profile.id),
      durationMs: Math.round(info.durationSeconds * 1000),
      gainDb: gain.gainDb,
      gain,
      expiresAt: urls.expiresAt.toISOString(),
      renditions,
    }
  }

  /** Warms the start of the next track in a queue at prefetch priority, so its play starts from cache. */
  async function prefetch(
    access: Access,
    trackId: number,
  ): Promise<{ trackId: number; rung: string; segments: number[] }> {
    const track = ctx.visibleTrack(access, trackId)
    const audio = ctx.requireAudio()
    const source = ctx.sourceOf(track)
    const info = await audio.describe(source)
    const start = startProfile(
      allowedProfiles(
        info.hls.map((r) => r.profile),
        access.maxBitrate,
      ),
    )
    background(audio.getInit(source, start.id))
    background(audio.getSegment(source, start.id, 0, { priority: 'prefetch' }))
    const count = info.hls[0]?.segmentDurations.length ?? 0
    return { trackId, rung: start.id, segments: PREFETCHED.filter((i) => i < count) }
  }

  return { play, prefetch }
}
