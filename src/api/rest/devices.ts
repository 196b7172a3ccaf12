import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { CAPABILITIES, DEVICE_KINDS, type Devices, REPEAT_MODES } from '../../devices/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { errors, json, noContent } from './schemas.ts'

// The REST face of the devices domain: a user's devices and their playback state, for scripts and
// for pages that are not (yet) connected. Changes happen over the device channel (GET /api/ws).

const DeviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(DEVICE_KINDS),
    capabilities: z.array(z.enum(CAPABILITIES)),
    online: z.boolean(),
    active: z.boolean().openapi({ description: 'the device the playback state plays on' }),
    firstSeenAt: z.string(),
    lastSeenAt: z.string().openapi({ description: 'now for online devices' }),
  })
  .openapi('Device')

const PlaybackSchema = z
  .object({
    version: z.number().int().openapi({ description: 'raised by every change' }),
    activeDeviceId: z.string().nullable(),
    queue: z.array(z.number().int()),
    index: z.number().int().openapi({ description: '-1 when the queue is empty' }),
    trackId: z.number().int().nullable(),
    positionMs: z
      .number()
      .openapi({ description: 'at observedAt; while playing add serverTime − observedAt' }),
    observedAt: z.number().openapi({ description: 'epoch milliseconds, server clock' }),
    playing: z.boolean(),
    volume: z.number().int(),
    shuffle: z.boolean(),
    order: z.array(z.number().int()).nullable().openapi({ description: 'play order while shuffled' }),
    repeat: z.enum(REPEAT_MODES),
    changedBy: z.string().nullable(),
    changedAt: z.number(),
    transfer: z.object({ from: z.string().nullable(), to: z.string(), at: z.number() }).nullable(),
    serverTime: z.number().openapi({ description: 'when this answer was made, epoch milliseconds' }),
  })
  .openapi('Playback')

const DeviceParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' }),
})

const listDevices = createRoute({
  method: 'get',
  path: '/devices',
  tags: ['devices'],
  summary: 'Your devices: connected first, then by when they were last seen',
  responses: { 200: json(z.object({ items: z.array(DeviceSchema) }), 'Devices'), ...errors(401) },
})

const forgetDevice = createRoute({
  method: 'delete',
  path: '/devices/{id}',
  tags: ['devices'],
  summary: 'Forget one of your devices; a connected one is disconnected',
  request: { params: DeviceParams },
  responses: { 204: noContent('Forgotten'), ...errors(400, 401, 403, 404) },
})

const getPlayback = createRoute({
  method: 'get',
  path: '/playback',
  tags: ['devices'],
  summary: 'Your playback state, as the devices share it',
  responses: { 200: json(PlaybackSchema, 'Playback state'), ...errors(401) },
})

const iso = (ms: number) => new Date(ms).toISOString()

export function deviceRoutes(devices: Devices) {
  return new OpenAPIHono<AppEnv>()
    .openapi(listDevices, (c) => {
      const items = devices
        .list(principalOf(c).userId)
        .map((d) => ({ ...d, firstSeenAt: iso(d.firstSeenAt), lastSeenAt: iso(d.lastSeenAt) }))
      return c.json({ items }, 200)
    })
    .openapi(forgetDevice, (c) => {
      devices.forget(principalOf(c).userId, c.req.valid('param').id)
      return c.body(null, 204)
    })
    .openapi(getPlayback, (c) =>
      c.json({ ...devices.playback(principalOf(c).userId), serverTime: Date.now() }, 200),
    )
}
