import { z } from 'zod'

// The event types clients send, as zod schemas: the single source for validation, TypeScript
// types and the OpenAPI document. Objects are strict so a misspelt field ("heardMS") is a precise
// error instead of a silently missing value.

/** The schema version this server writes and accepts. Bump it when a field changes meaning. */
export const EVENT_SCHEMA_VERSION = 1

/** Where an event came from; only `web` and `api` may be claimed by a client over HTTP. */
export const SOURCES = ['web', 'device', 'subsonic', 'api'] as const
export type Source = (typeof SOURCES)[number]

export const MAX_BATCH = 1000
const DAY_MS = 86_400_000

const id = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters')
const trackId = id
const duration = z
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(0, 'must not be negative')
  .max(DAY_MS, 'must be at most one day')
const epochMs = z
  .number({ error: 'must be milliseconds since the Unix epoch' })
  .int('must be whole milliseconds since the Unix epoch')
  .min(946_684_800_000, 'must be after 2000-01-01 (milliseconds since the Unix epoch)')
  .max(4_102_444_800_000, 'must be before 2100-01-01 (milliseconds since the Unix epoch)')

const common = {
  eventId: z
    .string({ error: 'must be a string' })
    .min(8, 'must be at least 8 characters (a UUID is a good choice)')
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may hold only letters, digits and . _ : -'),
  v: z
    .literal(EVENT_SCHEMA_VERSION, {
      error: `unsupported schema version; this server speaks ${EVENT_SCHEMA_VERSION}`,
    })
    .optional(),
  deviceId: id,
  clientTime: epochMs,
}

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...common, ...shape })

export const eventSchemas = [
  event('play_started', { trackId }),
  event('play_ended', { trackId, heardMs: duration }),
  event('skip', { trackId, positionMs: duration }),
  event('seek', { trackId, fromMs: duration, toMs: duration }),
  // The playhead stopped or went on at positionMs: "now playing" shows a paused device as paused.
  event('pause', { trackId, positionMs: duration }),
  event('resume', { trackId, positionMs: duration }),
  event('like', { trackId }),
  event('unlike', { trackId }),
  event('rate', {
    trackId,
    rating: z.number().int('must be a whole number').min(0, 'must be 0 to 5').max(5, 'must be 0 to 5'),
  }),
  event('playlist_add', { trackId, playlistId: id }),
  event('search', {
    trackId: trackId.nullable().default(null),
    query: z.string().max(500, 'must be at most 500 characters'),
    chosen: z
      .strictObject({ type: z.enum(['track', 'album', 'artist', 'playlist']), id })
      .nullable()
      .default(null),
  }),
  event('device_transfer', { trackId: trackId.nullable().default(null), fromDevice: id, toDevice: id }),
  // Subsonic's scrobble: submission=false says "now playing", true says "this was played" at `time`.
  event('scrobble', { trackId, submission: z.boolean(), time: epochMs }),
] as const

export const EVENT_TYPES = eventSchemas.map((s) => s.shape.type.value)
export type EventType = (typeof EVENT_TYPES)[number]

export const EventSchema = z.discriminatedUnion('type', eventSchemas, {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${EVENT_TYPES.join(', ')}` : undefined),
})

/** An event as a client sends it (after defaults are applied). */
export type EventInput = z.output<typeof EventSchema>

export const BatchSchema = z.strictObject({
  source: z.enum(['web', 'api']).default('api'),
  events: z
    .array(EventSchema)
    .min(1, 'must hold at least one event')
    .max(MAX_BATCH, `must hold at most ${MAX_BATCH} events; split larger uploads`),
})

/** An event as stored in the log: the client's fields plus what the server knows. */
export type LoggedEvent = EventInput & {
  offset: number
  userId: number
  v: number
  source: Source
  trackId: string | null
  receivedAt: number
  /**
   * When the listening happened: the client's time (Subsonic's `time` for scrobbles), but never
   * later than when the server received it, so a client clock running fast cannot put plays in
   * the future.
   */
  at: number
}

export type EventOf<T extends EventType> = Extract<LoggedEvent, { type: T }>
