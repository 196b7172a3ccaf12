/**
 * HLS playlists (RFC 8216) as text. URIs are relative: the master playlist names each rung's
 * media playlist (`hls/<version>/<rung>/index.m3u8`) and a media playlist names `init.mp4` and `<n>.m4s`
 * beside it, so every URI resolves below the signed path prefix of the URL the player was given,
 * and one signature covers the whole stream — a playlist stays as small as an unsigned one.
 */
export interface Variant {
  uri: string
  /** Peak bits per second. */
  bandwidth: number
  averageBandwidth: number
  codecs: string
}

export function masterPlaylist(variants: readonly Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']
  for (const v of variants) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},AVERAGE-BANDWIDTH=${v.averageBandwidth},CODECS="${v.codecs}"`,
      v.uri,
    )
  }
  return `${lines.join('\n')}\n`
}

export interface MediaPlaylistInput {
  targetDuration: number
  initUri: string
  segments: readonly { duration: number; uri: string }[]
}

export function mediaPlaylist(p: MediaPlaylistInput): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${p.targetDuration}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:VOD',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${p.initUri}"`,
  ]
  // Microsecond precision: the durations are whole AAC frames, so rounding must not let a
  // player's running sum drift from the segments' own timestamps.
  for (const s of p.segments) lines.push(`#EXTINF:${s.duration.toFixed(6)},`, s.uri)
  lines.push('#EXT-X-ENDLIST')
  return `${lines.join('\n')}\n`
}

export const MASTER_PLAYLIST = 'master.m3u8'
export const MEDIA_PLAYLIST = 'index.m3u8'
export const INIT_SEGMENT = 'init.mp4'
export const segmentFile = (index: number) => `${index}.m4s`
