import { z } from '@hono/zod-openapi'
import { ALBUM_SORTS, MAX_LIMIT, TRACK_SORTS } from '../../catalog/index.ts'
import { problem } from './problems.ts'

// Response and parameter schemas of the catalog routes: what the OpenAPI document publishes.

export const problemResponses = {
  400: problem('A parameter is invalid; `field` names it'),
  404: problem('No such item'),
} as const

export const IdParam = z.object({
  id: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be positive')
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
})

const optionalInt = (what: string) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be positive')
    .optional()
    .openapi({ description: what })

export const PageQuery = z.object({
  cursor: z.string().optional().openapi({ description: 'The `nextCursor` of the previous page' }),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, `must be from 1 to ${MAX_LIMIT}`)
    .max(MAX_LIMIT, `must be from 1 to ${MAX_LIMIT}`)
    .optional()
    .openapi({ description: `Items per page (default 50, at most ${MAX_LIMIT})` }),
})

export const ArtistListQuery = PageQuery.extend({
  role: z
    .enum(['albumArtist', 'any'])
    .optional()
    .openapi({ description: '`albumArtist` lists only artists with albums of their own' }),
})

export const AlbumListQuery = PageQuery.extend({
  sort: z
    .enum(ALBUM_SORTS)
    .optional()
    .openapi({ description: 'name (default), year (newest first), recent (added), played (most played)' }),
  genre: z.string().min(1).optional(),
  yearFrom: optionalInt('Released in or after this year'),
  yearTo: optionalInt('Released in or before this year'),
  artistId: optionalInt('Albums by this artist, or with tracks by them'),
})

export const TrackListQuery = PageQuery.extend({
  sort: z.enum(TRACK_SORTS).optional().openapi({ description: 'name (default) or recent (added)' }),
  albumId: optionalInt('Tracks of this album'),
  artistId: optionalInt('Tracks by this artist'),
  genre: z.string().min(1).optional(),
})

const page = <T extends z.ZodTypeAny>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as `cursor` for the next page; null on the last' }),
    })
    .openapi(name)

export const ArtistSummarySchema = z
  .object({
    id: z.number(),
    name: z.string(),
    sortName: z.string(),
    albumCount: z.number(),
    trackCount: z.number(),
    mbArtistId: z.string().nullable(),
  })
  .openapi('ArtistSummary')

export const AlbumSummarySchema = z
  .object({
    id: z.number(),
    name: z.string(),
    albumArtist: z.string(),
    albumArtistId: z.number().nullable(),
    year: z.number().nullable(),
    originalYear: z.number().nullable(),
    compilation: z.boolean(),
    discCount: z.number(),
    trackCount: z.number(),
    duration: z.number().openapi({ description: 'Seconds' }),
    coverId: z.string().nullable().openapi({ description: 'For GET /api/covers/{id}' }),
    genres: z.array(z.string()),
    playCount: z.number(),
    createdAt: z.string().openapi({ description: 'When the album was first scanned (ISO 8601)' }),
  })
  .openapi('AlbumSummary')

const loudnessFields = {
  basis: z.enum(['ebur128', 'replaygain', 'none']).openapi({
    description:
      "where the gain comes from: EBU R128 analysis, else the files' ReplayGain tags (until analysis has run), else nothing",
  }),
  gainDb: z.number().openapi({ description: 'dB that bring it to the configured target (0 with no basis)' }),
  peakLimited: z
    .boolean()
    .openapi({ description: 'the gain was held back to keep the true peak under -1 dBTP' }),
  integratedLufs: z
    .number()
    .nullable()
    .openapi({ description: 'EBU R128 integrated loudness; null until analysed' }),
  rangeLu: z.number().nullable().openapi({ description: 'EBU R128 loudness range' }),
  truePeakDbtp: z.number().nullable().openapi({ description: 'true peak' }),
}
export const TrackLoudnessSchema = z.object(loudnessFields).openapi('TrackLoudness')
export const AlbumLoudnessSchema = z
  .object({
    ...loudnessFields,
    analysedTracks: z.number().openapi({ description: 'tracks analysed; album figures need every one' }),
  })
  .openapi('AlbumLoudness')

export const TrackSummarySchema = z
  .object({
    id: z.number(),
    title: z.string(),
    artist: z.string(),
    album: z.string(),
    albumId: z.number(),
    albumArtist: z.string(),
    trackNo: z.number().nullable(),
    discNo: z.number().nullable(),
    year: z.number().nullable(),
    duration: z.number().nullable(),
    codec: z.string().nullable(),
    bitrate: z.number().nullable(),
    coverId: z.string().nullable(),
    createdAt: z.string(),
    loudness: TrackLoudnessSchema,
  })
  .openapi('TrackSummary')

export const ArtistDetailSchema = ArtistSummarySchema.extend({
  albums: z.array(AlbumSummarySchema),
  appearsOn: z.array(AlbumSummarySchema),
}).openapi('Artist')

export const AlbumDetailSchema = AlbumSummarySchema.extend({
  date: z.string().nullable(),
  originalDate: z.string().nullable(),
  label: z.string().nullable(),
  mbAlbumId: z.string().nullable(),
  mbReleaseGroupId: z.string().nullable(),
  artists: z.array(z.object({ id: z.number(), name: z.string() })),
  tracks: z.array(TrackSummarySchema).openapi({ description: 'In disc and track order' }),
  loudness: AlbumLoudnessSchema.openapi({ description: 'album gain, for playing the album as a whole' }),
}).openapi('Album')

const nullableNumber = z.number().nullable()
export const TrackDetailSchema = TrackSummarySchema.extend({
  folderId: z.number(),
  path: z.string().openapi({ description: 'Relative to its music folder' }),
  size: z.number(),
  trackOf: nullableNumber,
  discOf: nullableNumber,
  discSubtitle: z.string().nullable(),
  date: z.string().nullable(),
  originalDate: z.string().nullable(),
  originalYear: nullableNumber,
  composer: z.string().nullable(),
  compilation: z.boolean(),
  sampleRate: nullableNumber,
  bitDepth: nullableNumber,
  channels: nullableNumber,
  container: z.string().nullable(),
  lossless: z.boolean().nullable(),
  replayGain: z.object({
    trackGain: nullableNumber,
    trackPeak: nullableNumber,
    albumGain: nullableNumber,
    albumPeak: nullableNumber,
  }),
  r128: z.object({ trackGain: nullableNumber, albumGain: nullableNumber }),
  musicBrainz: z.object({
    recordingId: z.string().nullable(),
    releaseTrackId: z.string().nullable(),
    albumId: z.string().nullable(),
    artistId: z.string().nullable(),
    albumArtistId: z.string().nullable(),
  }),
  isrc: z.string().nullable(),
  bpm: nullableNumber,
  label: z.string().nullable(),
  comment: z.string().nullable(),
  artists: z.array(z.object({ id: z.number(), name: z.string(), role: z.string() })),
  genres: z.array(z.string()),
  lyrics: z.array(
    z.object({
      source: z.string().openapi({ description: '`embedded` or `file` (an .lrc beside the track)' }),
      synced: z.boolean(),
      lang: z.string().nullable(),
      text: z.string().openapi({ description: 'Plain text, or LRC when synced' }),
    }),
  ),
  playCount: z.number(),
}).openapi('Track')

export const GenreSchema = z
  .object({ id: z.number(), name: z.string(), albumCount: z.number(), trackCount: z.number() })
  .openapi('Genre')

export const ArtistPage = page(ArtistSummarySchema, 'ArtistPage')
export const AlbumPage = page(AlbumSummarySchema, 'AlbumPage')
export const TrackPage = page(TrackSummarySchema, 'TrackPage')
export const GenrePage = page(GenreSchema, 'GenrePage')

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
