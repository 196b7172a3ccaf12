import { basename, extname } from 'node:path'
import type { IAudioMetadata, ILyricsTag, ITag } from 'music-metadata'
import { splitGenres, splitNames, unique } from '../normalize.ts'
import type { Lyric, TrackTags } from './types.ts'

export const UNKNOWN_ARTIST = '[Unknown Artist]'
export const UNKNOWN_ALBUM = '[Unknown Album]'
export const VARIOUS_ARTISTS = 'Various Artists'

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const int = (v: unknown): number | null => {
  const n = num(v)
  return n === null ? null : Math.trunc(n)
}
const yearOf = (date: string | null): number | null => {
  const m = date ? /^(\d{4})/.exec(date) : null
  return m ? Number(m[1]) : null
}

/** One explicit multi-value (ARTISTS, several ARTIST fields) wins; a single value is split. */
function names(plural: string[] | undefined, singular: string | undefined, separators: readonly string[]) {
  const values = unique(plural ?? [])
  if (values.length > 1) return values
  const one = text(singular) ?? values[0]
  return one ? splitNames(one, separators) : []
}

/** R128 gains are in Opus/Vorbis comments as Q7.8 fixed point dB; music-metadata leaves them native. */
function r128(native: IAudioMetadata['native'], key: string): number | null {
  for (const tags of Object.values(native)) {
    const tag = tags.find((t: ITag) => t.id.toUpperCase() === key)
    const value = tag ? Number(tag.value) : Number.NaN
    if (Number.isFinite(value)) return value / 256
  }
  return null
}

const pad2 = (n: number) => String(Math.floor(n)).padStart(2, '0')

/** Synced lyrics as LRC text, the form they take in a file beside the track. */
export function toLrc(lines: { timestamp?: number; text: string }[]): string {
  return lines
    .map((l) => {
      const ms = l.timestamp ?? 0
      const cs = Math.floor((ms % 1000) / 10)
      return `[${pad2(ms / 60000)}:${pad2((ms / 1000) % 60)}.${pad2(cs)}]${l.text}`
    })
    .join('\n')
}

export function embeddedLyrics(tags: ILyricsTag[] | undefined): Lyric[] {
  const out: Lyric[] = []
  for (const tag of tags ?? []) {
    const lang = text(tag.language)
    if (tag.syncText?.length && tag.syncText.some((l) => l.timestamp !== undefined)) {
      out.push({ source: 'embedded', synced: true, lang, text: toLrc(tag.syncText) })
    } else {
      const body = text(tag.text) ?? text(tag.syncText?.map((l) => l.text).join('\n'))
      if (body) out.push({ source: 'embedded', synced: false, lang, text: body })
    }
  }
  return out
}

export function toTrackTags(
  meta: IAudioMetadata,
  fileName: string,
  separators: readonly string[],
): TrackTags {
  const { common: c, format: f } = meta
  const artists = names(c.artists, c.artist, separators)
  const compilation = c.compilation === true
  // Without an album artist tag a compilation belongs to "Various Artists" (so it stays one
  // album) and anything else to its track artist.
  const tagged = names(c.albumartists, c.albumartist, separators)
  const fallback = compilation ? [VARIOUS_ARTISTS] : artists.length > 0 ? artists : [UNKNOWN_ARTIST]
  const albumArtists = tagged.length > 0 ? tagged : fallback
  const albumArtist =
    text(c.albumartist) ?? (compilation ? VARIOUS_ARTISTS : (text(c.artist) ?? albumArtists.join(' / ')))
  const date = text(c.date) ?? text(c.releasedate)
  const originalDate = text(c.originaldate)
  const composers = unique(c.composer ?? [])
  return {
    title: text(c.title) ?? basename(fileName, extname(fileName)),
    titleSort: text(c.titlesort),
    artist: text(c.artist) ?? (artists.length > 0 ? artists.join(' / ') : UNKNOWN_ARTIST),
    artists: artists.length > 0 ? artists : [UNKNOWN_ARTIST],
    artistSort: text(c.artistsort),
    albumArtist,
    albumArtists,
    albumArtistSort: text(c.albumartistsort),
    album: text(c.album) ?? UNKNOWN_ALBUM,
    albumSort: text(c.albumsort),
    composer: composers.length > 0 ? composers.join(' / ') : null,
    composers,
    genres: splitGenres(c.genre ?? []),
    trackNo: int(c.track.no),
    trackOf: int(c.track.of),
    discNo: int(c.disk.no),
    discOf: int(c.disk.of),
    discSubtitle: text(c.discsubtitle?.[0]),
    year: int(c.year) ?? yearOf(date),
    date,
    originalYear: int(c.originalyear) ?? yearOf(originalDate),
    originalDate,
    compilation,
    duration: num(f.duration) !== null && (f.duration as number) >= 0 ? (f.duration as number) : null,
    bitrate: int(f.bitrate),
    sampleRate: int(f.sampleRate),
    bitDepth: int(f.bitsPerSample),
    channels: int(f.numberOfChannels),
    codec: text(f.codec),
    container: text(f.container),
    lossless: typeof f.lossless === 'boolean' ? f.lossless : null,
    rgTrackGain: num(c.replaygain_track_gain?.dB) ?? num(f.trackGain),
    rgTrackPeak: num(c.replaygain_track_peak?.ratio) ?? num(f.trackPeakLevel),
    rgAlbumGain: num(c.replaygain_album_gain?.dB) ?? num(f.albumGain),
    rgAlbumPeak: num(c.replaygain_album_peak?.ratio),
    r128TrackGain: r128(meta.native, 'R128_TRACK_GAIN'),
    r128AlbumGain: r128(meta.native, 'R128_ALBUM_GAIN'),
    mbRecordingId: text(c.musicbrainz_recordingid),
    mbReleaseTrackId: text(c.musicbrainz_trackid),
    mbAlbumId: text(c.musicbrainz_albumid),
    mbReleaseGroupId: text(c.musicbrainz_releasegroupid),
    mbArtistIds: c.musicbrainz_artistid ?? [],
    mbAlbumArtistIds: c.musicbrainz_albumartistid ?? [],
    isrc: text(c.isrc?.[0]),
    bpm: num(c.bpm),
    label: text(c.label?.[0]),
    comment: text(c.comment?.find((x) => text(x.text))?.text),
  }
}
