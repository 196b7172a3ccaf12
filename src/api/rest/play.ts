import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { PlayInfo, Streaming } from '../../stream/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { createRouter } from './router.ts'
import { errors, IdParams, json } from './schemas.ts'

const RenditionSchema = z
  .object({
    id: z.string().openapi({ example: 'aac-160' }),
    kind: z.enum(['hls', 'file', 'original']),
    codec: z.string(),
    bitrateKbps: z.number().int().optional(),
    mimeType: z.string(),
    url: z.string().openapi({ description: 'signed: a media playlist (hls) or a progressive file' }),
  })
  .openapi('Rendition')

const PlayInfoSchema = z
  .object({
    trackId: z.number().int(),
    hls: z.string().openapi({ description: 'signed HLS master playlist URL (the rungs you may stream)' }),
    progressive: z.string().openapi({
      description:
        'signed single-file URL with Range support: the original when you may download it and have no bitrate cap, else the best MP3 within your cap; add ?t=seconds to start a transcode there',
    }),
    durationMs: z.number().int(),
    gainDb: z
      .number()
      .openapi({ description: 'loudness normalization: the gain (dB) that reaches the target' }),
    gain: z.object({
      gainDb: z.number(),
      peakLimited: z.boolean(),
      basis: z.enum(['ebur128', 'replaygain', 'none']).openapi({
        description:
          "the source of the gain: EBU R128 analysis, else the file's ReplayGain tags until it has run, else none (0 dB)",
      }),
    }),
    expiresAt: z
      .string()
      .openapi({ description: 'when these URLs stop working; call play again after that' }),
    renditions: z.array(RenditionSchema),
  })
  .openapi('PlayInfo')

const play = createRoute({
  method: 'post',
  path: '/tracks/{id}/play',
  tags: ['streaming'],
  summary: 'Start playing a track: signed HLS and progressive URLs, duration, loudness gain, renditions',
  description:
    'Checks that you may see the track and caps the renditions at your maximum bitrate. Needs only the read scope: it changes nothing you own. The first segment is warmed while the answer travels.',
  request: { params: IdParams },
  responses: {
    200: json(PlayInfoSchema, 'What a player needs to start'),
    ...errors(400, 401, 403, 404, 429),
  },
})

const prefetch = createRoute({
  method: 'post',
  path: '/tracks/{id}/prefetch',
  tags: ['streaming'],
  summary: 'Warm the first segments of the next track in a queue, at prefetch priority',
  description: 'Needs only the read scope. Answers at once; the segments are produced in the background.',
  request: { params: IdParams },
  responses: {
    202: json(
      z
        .object({
          trackId: z.number().int(),
          rung: z.string().openapi({ description: 'the rung a player starts on' }),
          segments: z.array(z.number().int()),
        })
        .openapi('Prefetch'),
      'Warming',
    ),
    ...errors(400, 401, 403, 404, 429),
  },
})

/** The origin the client used (through a trusted proxy: the one it saw), for absolute URLs. */
export function publicOrigin(c: Context<AppEnv>): string {
  const client = c.get('client')
  return client.host ? `${client.secure ? 'https' : 'http'}://${client.host}` : new URL(c.req.url).origin
}

/** Media URLs as absolute URLs of the address the client used, so native players can open them as they are. */
function absolute(c: Context<AppEnv>, info: PlayInfo): PlayInfo {
  const abs = (path: string) => new URL(path, publicOrigin(c)).href
  return {
    ...info,
    hls: abs(info.hls),
    progressive: abs(info.progressive),
    renditions: info.renditions.map((r) => ({ ...r, url: abs(r.url) })),
  }
}

export function playRoutes(streaming: Streaming) {
  return createRouter()
    .openapi(play, async (c) => {
      const info = await streaming.play(principalOf(c), Number(c.req.valid('param').id))
      return c.json(absolute(c, info), 200)
    })
    .openapi(prefetch, async (c) => {
      return c.json(await streaming.prefetch(principalOf(c), Number(c.req.valid('param').id)), 202)
    })
}
