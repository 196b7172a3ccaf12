import { extname } from 'node:path'
import type { Profile } from '../audio/index.ts'

/** What a user may stream, as the accounts domain says now. */
export interface Access {
  userId: number
  folderIds: readonly number[]
  /** kbps; 0 means no limit. */
  maxBitrate: number
  canDownload: boolean
}

const withinCap = (p: Profile, maxBitrate: number) => maxBitrate <= 0 || p.bitrateKbps <= maxBitrate

/**
 * The rungs a user may stream, lowest first. A cap below the lowest rung still allows the lowest:
 * the admin asked for "as little as possible", not for silence.
 */
export function allowedProfiles<P extends Profile>(profiles: readonly P[], maxBitrate: number): P[] {
  const sorted = [...profiles].sort((a, b) => a.bitrateKbps - b.bitrateKbps)
  const within = sorted.filter((p) => withinCap(p, maxBitrate))
  return within.length > 0 ? within : sorted.slice(0, 1)
}

/** allowedProfiles(all, maxBitrate) includes profile — without building the list (segment requests ask). */
export function mayStream(profile: Profile, all: readonly Profile[], maxBitrate: number): boolean {
  if (withinCap(profile, maxBitrate)) return true
  // Above the cap, only the lowest rung is allowed, and only when nothing is within the cap.
  return all.every((p) => p.bitrateKbps >= profile.bitrateKbps && !withinCap(p, maxBitrate))
}

/**
 * The rung a player starts on (listed first in the master playlist, which hls.js and Apple's
 * players honour): 160 kbps AAC sounds transparent to most ears and fits a mobile link; adaptive
 * bitrate moves from there once the player has measured the network.
 */
const START_KBPS = 160

export function startProfile<P extends Profile>(allowed: readonly P[]): P {
  const atOrBelow = allowed.filter((p) => p.bitrateKbps <= START_KBPS)
  return (atOrBelow.at(-1) ?? allowed[0]) as P
}

/** Containers every current browser's <audio> plays, by file extension. */
const ORIGINAL_TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.mp4': 'audio/mp4',
  '.aac': 'audio/aac',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg; codecs=opus',
  '.wav': 'audio/wav',
}

export const originalMimeType = (path: string): string =>
  ORIGINAL_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'

/**
 * The progressive URL of the play call: the original file for a user who may download and has no
 * bitrate cap, when a browser can play its container (it is the best quality and costs no
 * transcoding); otherwise the highest MP3 rung within the cap, which every player decodes.
 */
export function progressiveChoice(
  access: Access,
  files: readonly Profile[],
  path: string,
): { format: 'original' } | { format: 'rendition'; profile: Profile } {
  if (access.canDownload && access.maxBitrate <= 0 && ORIGINAL_TYPES[extname(path).toLowerCase()]) {
    return { format: 'original' }
  }
  const mp3 = allowedProfiles(
    files.filter((p) => p.codec === 'mp3'),
    access.maxBitrate,
  )
  return { format: 'rendition', profile: mp3.at(-1) as Profile }
}

/** What a player without the play call asks for (Subsonic's `stream`): a codec, a cap, or the original. */
export interface StreamRequest {
  /** 'raw' asks for the original; otherwise a codec name (mp3, aac, ogg/vorbis, opus); absent: the server decides. */
  format?: string
  /** kbps; 0 or absent: no cap beyond the user's. */
  maxBitRate?: number
}

const CODEC_ALIASES: Record<string, string> = { ogg: 'vorbis', oga: 'vorbis', m4a: 'aac', mp4: 'aac' }

/**
 * Maps a request onto the ladder: the original when asked for raw (or when nothing is asked and
 * the user may download and has no cap), else the highest rung of the codec within both caps — a
 * cap below the lowest rung still gets the lowest. Unknown codecs get MP3, which every player decodes.
 */
export function streamChoice(
  access: Access,
  files: readonly Profile[],
  request: StreamRequest,
): { format: 'original' } | { format: 'rendition'; profile: Profile } {
  const asked = request.maxBitRate && request.maxBitRate > 0 ? request.maxBitRate : 0
  const userCap = Math.max(access.maxBitrate, 0)
  const cap = asked && userCap ? Math.min(asked, userCap) : asked || userCap
  const format = request.format?.toLowerCase()
  if (access.canDownload && cap === 0 && (format === 'raw' || format === undefined || format === '')) {
    return { format: 'original' }
  }
  const codec = format ? (CODEC_ALIASES[format] ?? format) : 'mp3'
  const ofCodec = files.filter((p) => p.codec === codec)
  const candidates = ofCodec.length > 0 ? ofCodec : files.filter((p) => p.codec === 'mp3')
  return { format: 'rendition', profile: allowedProfiles(candidates, cap).at(-1) as Profile }
}
