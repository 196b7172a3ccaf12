import { z } from 'zod'
import { invalid } from '../lib/errors.ts'
import { CAPABILITIES, DEVICE_KINDS, REPEAT_MODES } from './types.ts'

// What the domain accepts, as zod schemas: the WebSocket layer validates frames with these, and
// the domain validates again at its own entry points, so Subsonic and REST callers get the same rules.

export const LIMITS = {
  /** Tracks in one queue: a setQueue of this many ids still fits in one frame. */
  queueTracks: 5000,
  /** Devices remembered per user; the longest-unseen offline one is forgotten beyond this. */
  storedDevices: 200,
  /** Devices of one user connected at once: generous for a household, a wall against a runaway client. */
  onlineDevices: 100,
  /** Longer than any track; a position beyond it is a client bug, not music. */
  positionMs: 24 * 3600_000,
  /** Listening events in one frame. */
  eventsPerBatch: 500,
} as const

export const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _ (a random UUID works)')

export const deviceInfoSchema = z.strictObject({
  id: deviceIdSchema,
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
  kind: z.enum(DEVICE_KINDS),
  capabilities: z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length).default([]),
})

export const trackIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const trackIds = z
  .array(trackIdSchema)
  .max(LIMITS.queueTracks, `must hold at most ${LIMITS.queueTracks} tracks`)
// Players compute positions from currentTime in seconds; fractions of a millisecond mean nothing.
const position = z.number().min(0).max(LIMITS.positionMs).transform(Math.round)
const index = z.number().int().min(0)

export const COMMAND_ACTIONS = [
  'play',
  'pause',
  'seek',
  'next',
  'previous',
  'setQueue',
  'addToQueue',
  'volume',
  'shuffle',
  'repeat',
  'transfer',
] as const
export type CommandAction = (typeof COMMAND_ACTIONS)[number]

export const commandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('play'), index: index.optional(), positionMs: position.optional() }),
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('seek'), positionMs: position }),
  /** `auto`: the track ended by itself, so repeat-one replays it instead of moving on. */
  z.strictObject({ action: z.literal('next'), auto: z.boolean().optional() }),
  z.strictObject({ action: z.literal('previous') }),
  z.strictObject({
    action: z.literal('setQueue'),
    trackIds,
    index: index.optional(),
    positionMs: position.optional(),
    play: z.boolean().optional(),
  }),
  /** `next`: insert after the current track instead of at the end. */
  z.strictObject({
    action: z.literal('addToQueue'),
    trackIds: trackIds.min(1, 'must name at least one track'),
    next: z.boolean().optional(),
  }),
  z.strictObject({ action: z.literal('volume'), volume: z.number().int().min(0).max(100) }),
  z.strictObject({ action: z.literal('shuffle'), on: z.boolean() }),
  z.strictObject({ action: z.literal('repeat'), mode: z.enum(REPEAT_MODES) }),
  z.strictObject({ action: z.literal('transfer'), deviceId: deviceIdSchema, play: z.boolean().optional() }),
])
export type Command = z.output<typeof commandSchema>
export type CommandInput = z.input<typeof commandSchema>

export const audioReportSchema = z.strictObject({
  version: z.number().int().min(0),
  playing: z.boolean(),
  positionMs: position,
  at: z.number().finite().min(0),
})

// The events domain validates the meaning of each event; here only what delivery relies on:
// an id to deduplicate by, a type and a time. Other fields pass through untouched.
export const deviceEventSchema = z.looseObject({
  id: z.string().min(1).max(64),
  type: z.string().min(1).max(40),
  at: z.number().finite(),
  trackId: trackIdSchema.optional(),
})
export const deviceEventsSchema = z
  .array(deviceEventSchema)
  .min(1, 'must hold at least one event')
  .max(LIMITS.eventsPerBatch, `must hold at most ${LIMITS.eventsPerBatch} events`)

export const savePlayQueueSchema = z.strictObject({
  trackIds,
  current: trackIdSchema.nullable().optional(),
  /** The current entry by position, for queues holding a track twice (wins over `current`). */
  index: z.number().int().min(0).optional(),
  positionMs: position.optional(),
  changedBy: z.string().trim().min(1).max(64),
})

/** Parses with a schema; a failure is an `invalid` domain error naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  const field = issue?.path.join('.') ?? ''
  const label = field ? `${what}.${field}` : what
  const message =
    issue?.code === 'unrecognized_keys' ? `${issue.keys.join(', ')} is not a known field` : issue?.message
  throw invalid(`${label}: ${message ?? 'invalid'}`, { field: label })
}
