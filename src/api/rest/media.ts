import { createRoute, z } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { fileResource, hlsResource, type Streaming } from '../../stream/index.ts'
import type { AppEnv } from '../context.ts'
import { createRouter } from './router.ts'
import { errors } from './schemas.ts'
import { fromTheStart, liveAnswer, sendFile, sendPlaylist } from './send-file.ts'

// The signed media routes (see src/stream/urls.ts for the scheme). They are public in the guard:
// the signature in the path is the credential, checked by the stream domain at every request.

const param = (name: string, pattern: RegExp, message: string, example: string) =>
  z
    .string()
    .regex(pattern, message)
    .openapi({ param: { name, in: 'path' }, example })

const Token = param(
  'token',
  /^[^/]{1,100}$/,
  'must be the signature part of a media URL',
  '2.1767229200.q3Yb0yWZb5S1c0jqLx4Q9A',
).openapi({ description: 'the signature: `<userId>.<expiry>.<HMAC>`, as issued by the play call' })
const TrackId = param('id', /^[1-9][0-9]{0,14}$/, 'must be a positive whole number', '42')
const Version = param('version', /^[A-Za-z0-9_-]{12}$/, 'must be a 12-character version name', 'k2f9Q0aZ7wXy')
const Rung = param('rung', /^[a-z0-9]{1,10}-[0-9]{1,4}$/, 'must name a rung such as aac-160', 'aac-160')
const File = param(
  'file',
  /^(index\.m3u8|init\.mp4|(0|[1-9][0-9]{0,5})\.m4s)$/,
  'must be index.m3u8, init.mp4 or <n>.m4s',
  '3.m4s',
)
const Format = param(
  'format',
  /^(original|[a-z0-9]{1,10}-[0-9]{1,4})$/,
  'must be original or a rendition such as mp3-320',
  'mp3-320',
)
const Offset = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,5})(\.[0-9]{1,3})?$/, 'must be seconds, e.g. 75 or 75.5')
  .optional()
  .openapi({
    param: { name: 't', in: 'query' },
    description: 'start a transcoded stream here (seconds); the answer is chunked, without ranges',
  })

const binary = (description: string, types: string[]) => ({
  description,
  content: Object.fromEntries(types.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])),
})
const media = {
  tags: ['media'],
  security: [],
  description:
    'Needs no cookie or token: the URL carries its own signature, issued by POST /api/tracks/{id}/play. 403 says whether it expired, was altered, or was issued to another user. HEAD is answered too.',
}
const mediaErrors = errors(400, 403, 404, 429)

const masterRoute = createRoute({
  ...media,
  method: 'get',
  path: '/media/{token}/tracks/{id}/master.m3u8',
  summary: 'HLS master playlist: the rungs this user may stream',
  request: { params: z.object({ token: Token, id: TrackId }) },
  responses: { 200: binary('The master playlist', ['application/vnd.apple.mpegurl']), ...mediaErrors },
})

const rungRoute = createRoute({
  ...media,
  method: 'get',
  path: '/media/{token}/tracks/{id}/hls/{version}/{rung}/{file}',
  summary: 'HLS media playlist, fMP4 init segment or media segment (made on demand when not cached)',
  request: { params: z.object({ token: Token, id: TrackId, version: Version, rung: Rung, file: File }) },
  responses: {
    200: binary('The playlist or segment; segments are immutable', [
      'application/vnd.apple.mpegurl',
      'audio/mp4',
    ]),
    206: binary('Part of a segment', ['audio/mp4']),
    304: { description: 'Not modified (If-None-Match)' },
    ...errors(400, 403, 404, 416, 429),
  },
})

const fileRoute = createRoute({
  ...media,
  method: 'get',
  path: '/media/{token}/tracks/{id}/file/{format}',
  summary:
    'Progressive file: the original or a single-file rendition, with Range support; ?t= starts a transcode there',
  request: {
    params: z.object({ token: Token, id: TrackId, format: Format }),
    query: z.object({ t: Offset }),
  },
  responses: {
    200: binary('The whole file, or a chunked transcode from ?t=', [
      'audio/mpeg',
      'audio/mp4',
      'audio/ogg',
      'audio/flac',
    ]),
    206: binary('The requested range', ['audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/flac']),
    304: { description: 'Not modified (If-None-Match, If-Modified-Since)' },
    ...errors(400, 403, 404, 416, 429),
  },
})

/** A signed-in caller (cookie or bearer) must be the user the URL was issued to. */
const requester = (c: Context<AppEnv>) => c.get('principal')?.userId

/** A range that a live transcode can answer from its first byte: none, or `bytes=0-`. */
/** Mounted ahead of the app's general middleware, behind its own lean one (media-pipeline.ts). */
export function mediaRoutes(streaming: Streaming, pipeline: MiddlewareHandler<AppEnv>[]) {
  const app = createRouter()
  app.use('/media/*', ...pipeline)
  return app
    .openapi(masterRoute, async (c) => {
      const { token, id } = c.req.valid('param')
      const grant = streaming.grant(token, Number(id), hlsResource(Number(id)), requester(c))
      return sendPlaylist(c, await streaming.master(grant))
    })
    .openapi(rungRoute, async (c) => {
      const { token, id, version, rung, file } = c.req.valid('param')
      const grant = streaming.grant(token, Number(id), hlsResource(Number(id)), requester(c))
      if (file === 'index.m3u8') return sendPlaylist(c, await streaming.playlist(grant, version, rung))
      if (file === 'init.mp4') return sendFile(c, await streaming.init(grant, version, rung))
      const index = Number(file.slice(0, -'.m4s'.length))
      // The client's abort signal only matters when the segment has to be made (see stream/media.ts).
      return sendFile(c, await streaming.segment(grant, version, rung, index, () => c.req.raw.signal))
    })
    .openapi(fileRoute, async (c) => {
      const { token, id, format } = c.req.valid('param')
      const { t } = c.req.valid('query')
      const grant = streaming.grant(token, Number(id), fileResource(Number(id), format), requester(c))
      if (t !== undefined)
        return liveAnswer(c, await streaming.transcode(grant, format, Number(t), c.req.raw.signal))
      if (format === 'original') return sendFile(c, await streaming.original(grant))
      const head = c.req.method === 'HEAD'
      const wait = head || !fromTheStart(c.req.header('range'))
      const file = await streaming.rendition(grant, format, { wait, signal: c.req.raw.signal })
      if (file) return sendFile(c, file)
      // Not cached yet and asked from the start: stream it as ffmpeg encodes rather than keep the
      // listener waiting for the whole file (a Range request to the start may get the whole, 200).
      return liveAnswer(c, await streaming.transcode(grant, format, 0, c.req.raw.signal))
    })
}
