import { z } from '@hono/zod-openapi'
import { EXPORT_FORMATS, PLAYLIST_LIMITS } from '../../playlists/index.ts'
import { TrackSummarySchema } from './catalog-schemas.ts'

// Request and response schemas of the playlist routes: what the OpenAPI document publishes.
// The domain checks the same limits again, so the Subsonic API gets the same answers.

const TrackIds = z
  .array(z.number().int('must be whole numbers').positive('must be positive'))
  .max(PLAYLIST_LIMITS.entries, `at most ${PLAYLIST_LIMITS.entries} tracks at once`)
  .openapi({ description: 'Track ids; the same track may appear more than once', example: [12, 7, 12] })

const EntryIds = z
  .array(z.number().int('must be whole numbers').positive('must be positive'))
  .max(PLAYLIST_LIMITS.entries)
  .openapi({ description: 'Entry ids (`entryId` of the entries); stable across moves' })

const Indexes = z
  .array(z.number().int('must be whole numbers').min(0, 'must be 0 or more'))
  .max(PLAYLIST_LIMITS.entries)
  .openapi({ description: '0-based positions in the list as you see it' })

const Collaborative = z.boolean().optional().openapi({
  description:
    'everyone may add, move and remove its tracks (implies public); only the owner renames or deletes it',
})
const Name = z.string().max(PLAYLIST_LIMITS.name).openapi({ example: 'Sunday morning' })
const Comment = z.string().max(PLAYLIST_LIMITS.comment)

export const NewPlaylistSchema = z
  .strictObject({
    name: Name,
    comment: Comment.optional(),
    public: z.boolean().optional().openapi({ description: 'others may read it; default false' }),
    collaborative: Collaborative,
    trackIds: TrackIds.optional(),
  })
  .openapi('NewPlaylist')

export const PlaylistPatchSchema = z
  .strictObject({
    name: Name.optional(),
    comment: Comment.optional(),
    public: z.boolean().optional().openapi({ description: 'making it private ends collaboration too' }),
    collaborative: Collaborative,
  })
  .openapi('PlaylistPatch')

export const AddTracksSchema = z
  .strictObject({
    trackIds: TrackIds.min(1, 'name at least one track'),
    index: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .optional()
      .openapi({ description: 'where the first one goes (0 = the top); the end when left out' }),
  })
  .openapi('AddTracks')

export const ReplaceTracksSchema = z.strictObject({ trackIds: TrackIds }).openapi('ReplaceTracks')

export const RemoveEntriesSchema = z
  .strictObject({ entryIds: EntryIds.optional(), indexes: Indexes.optional() })
  .openapi('RemoveEntries')

export const MoveEntriesSchema = z
  .strictObject({
    entryIds: EntryIds.min(1, 'name at least one entry'),
    to: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be 0 or more')
      .openapi({ description: 'the index the first moved entry gets in the list without the moved ones' }),
  })
  .openapi('MoveEntries')

export const ListQuery = z.object({
  ownerId: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .positive('must be positive')
    .optional()
    .openapi({
      description: "Only this user's playlists (their public ones, unless it is you or you are an admin)",
    }),
})

export const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('m3u8').openapi({
    description:
      'm3u / m3u8: paths relative to the music folder; xspf: relative URIs with titles and durations',
  }),
})

export const PlaylistSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    comment: z.string(),
    owner: z.object({ id: z.number().int(), username: z.string() }),
    public: z.boolean(),
    collaborative: z.boolean(),
    entryCount: z
      .number()
      .int()
      .openapi({ description: 'entries you may see (present tracks in your folders)' }),
    duration: z.number().openapi({ description: 'seconds, over the same entries' }),
    createdAt: z.string(),
    changedAt: z.string(),
    editable: z.boolean().openapi({ description: 'you may change it all (its owner, or an admin)' }),
    tracksEditable: z
      .boolean()
      .openapi({ description: 'you may add, move and remove its tracks (editable, or collaborative)' }),
  })
  .openapi('PlaylistSummary')

export const PlaylistDetailSchema = PlaylistSummarySchema.extend({
  entries: z.array(
    z.object({
      entryId: z.number().int(),
      index: z.number().int(),
      trackId: z.number().int(),
      addedAt: z.string(),
      addedBy: z.object({ id: z.number().int(), username: z.string() }).nullable(),
      track: TrackSummarySchema,
    }),
  ),
}).openapi('Playlist')
