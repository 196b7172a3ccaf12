import type { DemoFormat } from './types.ts'

export interface TrackTags {
  title: string
  artist: string
  album: string
  albumArtist: string
  track: number
  trackTotal: number
  disc: number
  discTotal: number
  year: number
  genre: string
  compilation: boolean
}

/** Codec settings per container; the ffmpeg muxer follows from the output file's extension. */
const AUDIO_CODEC: Record<DemoFormat, string[]> = {
  flac: ['-c:a', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '192k', '-id3v2_version', '3', '-write_id3v1', '0'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '5'],
  m4a: ['-c:a', 'aac', '-b:a', '160k', '-movflags', '+faststart'],
}

/** Ogg Vorbis gets its art from the folder's cover.jpg only: ffmpeg 5.1 cannot embed it there. */
export const EMBEDS_COVER: Record<DemoFormat, boolean> = { flac: true, mp3: true, ogg: false, m4a: true }

function metadata(tags: TrackTags): string[] {
  // ffmpeg maps these generic keys to each container's own fields (TPE2, aART, ALBUMARTIST, …).
  const fields: [string, string][] = [
    ['title', tags.title],
    ['artist', tags.artist],
    ['album', tags.album],
    ['album_artist', tags.albumArtist],
    ['track', `${tags.track}/${tags.trackTotal}`],
    ['disc', `${tags.disc}/${tags.discTotal}`],
    ['date', String(tags.year)],
    ['genre', tags.genre],
  ]
  if (tags.compilation) fields.push(['compilation', '1'])
  return fields.flatMap(([key, value]) => ['-metadata', `${key}=${value}`])
}

/** Arguments that turn `wav` (plus `cover`, a JPEG, where the format embeds one) into `output`. */
export function encodeTrackArgs(
  format: DemoFormat,
  tags: TrackTags,
  files: { wav: string; cover: string; output: string },
): string[] {
  const cover = EMBEDS_COVER[format]
  return [
    '-hide_banner',
    ...['-i', files.wav],
    ...(cover ? ['-i', files.cover] : []),
    ...['-map', '0:a', '-map_metadata', '-1', '-ar', '44100', '-ac', '2'],
    ...AUDIO_CODEC[format],
    ...(cover
      ? [
          '-map',
          '1:v',
          '-c:v',
          'copy',
          '-disposition:v',
          'attached_pic',
          '-metadata:s:v',
          'title=Cover',
          '-metadata:s:v',
          'comment=Cover (front)',
        ]
      : []),
    ...metadata(tags),
    // Same input, same bytes: no encoder version strings, so fixtures are reproducible.
    ...['-fflags', '+bitexact', '-flags:a', '+bitexact'],
    files.output,
  ]
}
