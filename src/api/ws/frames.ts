import { z } from 'zod'
import {
  audioReportSchema,
  COMMAND_ACTIONS,
  type Device,
  type DeviceInfo,
  deviceInfoSchema,
  type Handoff,
  LIVE_TOPICS,
  type LiveTopic,
  type PlaybackState,
} from '../../devices/index.ts'

// The device channel's frames: JSON text, each an object with a `type`. A client may add an `id`
// (up to 64 characters) to any frame; the answer to it (ack, pong, error, …) carries it as `ref`.
// The command arguments are the devices domain's own schema, so both agree on every rule.

export const PROTOCOL_VERSION = 1
export const SUBPROTOCOL = 'tonearm.v1'

const ref = z.string().min(1).max(64).optional()

export const clientFrames = {
  /** NTP-style clock sync: t0 is the client's clock when it sent the ping. */
  ping: z.strictObject({ type: z.literal('ping'), id: ref, t0: z.number().finite() }),
  register: z.strictObject({ type: z.literal('register'), id: ref, device: deviceInfoSchema }),
  /** `baseVersion`: the state version the command was decided on; anything else is a conflict. */
  command: z.looseObject({
    type: z.literal('command'),
    id: ref,
    baseVersion: z.number().int().min(0),
    action: z.enum(COMMAND_ACTIONS),
  }),
  report: audioReportSchema.extend({ type: z.literal('report'), id: ref }),
  /** The events' own shape is checked by the domain (and the events pipeline behind it). */
  events: z.strictObject({ type: z.literal('events'), id: ref, events: z.array(z.unknown()) }),
  subscribe: z.strictObject({
    type: z.literal('subscribe'),
    id: ref,
    topics: z.array(z.enum(LIVE_TOPICS)).min(1),
  }),
  unsubscribe: z.strictObject({
    type: z.literal('unsubscribe'),
    id: ref,
    topics: z.array(z.enum(LIVE_TOPICS)).min(1),
  }),
} as const

export type ClientFrameType = keyof typeof clientFrames
export const CLIENT_FRAME_TYPES = Object.keys(clientFrames) as ClientFrameType[]
export type ClientFrame<T extends ClientFrameType> = z.output<(typeof clientFrames)[T]>

/** Stable codes of `error` frames; clients switch on these, never on the message. */
export type ErrorCode =
  | 'invalid'
  | 'unknown_type'
  | 'unknown_command'
  | 'too_large'
  | 'rate_limited'
  | 'not_registered'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'busy'
  | 'internal'

export type ServerFrame =
  | {
      type: 'hello'
      protocol: number
      serverTime: number
      heartbeatMs: number
      limits: { maxFrameBytes: number; framesPerSecond: number; burst: number }
      user: { id: number; username: string }
      frames: readonly string[]
      actions: readonly string[]
      topics: readonly string[]
    }
  | {
      type: 'registered'
      ref?: string
      device: DeviceInfo
      state: PlaybackState
      devices: Device[]
      serverTime: number
    }
  | { type: 'state'; state: PlaybackState; serverTime: number }
  | { type: 'devices'; devices: Device[] }
  | { type: 'handoff'; handoff: Handoff }
  | { type: 'pong'; ref?: string; t0: number; t1: number; t2: number }
  | { type: 'ack'; ref: string; version: number }
  | { type: 'events-ack'; ref?: string; ids: string[]; accepted: number; duplicates: number }
  | { type: 'subscribed'; ref?: string; topics: LiveTopic[] }
  | { type: 'live'; topic: LiveTopic; payload: unknown; serverTime: number }
  | {
      type: 'error'
      code: ErrorCode
      message: string
      ref?: string
      field?: string
      /** With `conflict`: the current state, to redo the change on. */
      state?: PlaybackState
    }

export type ErrorFrame = Extract<ServerFrame, { type: 'error' }>

/** Close codes of the device channel (4000–4999 are the application's own). */
export const CLOSE = {
  /** Too many of the user's devices are connected; try again later. */
  tryAgainLater: 1013,
  /** The session or token the connection was opened with ended. */
  credentialsEnded: 4401,
  /** The device id belongs to another account. */
  foreignDevice: 4403,
  /** No `register` within the allowed time. */
  registerTimeout: 4408,
  /** A newer connection of the same device took over. */
  replaced: 4409,
  /** The device was forgotten (DELETE /api/devices/{id}). */
  forgotten: 4410,
  /** More frames than the rate limit allows. */
  flood: 4429,
} as const
