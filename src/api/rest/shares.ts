import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { SHARE_KINDS, SHARE_LIMITS, type Share, type Shares } from '../../shares/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { problem } from '../problem.ts'
import { TrackSummarySchema } from './catalog-schemas.ts'
import { problem as problemDoc } from './problems.ts'
import { createRouter } from './router.ts'
import { errors, json, jsonBody, noContent } from './schemas.ts'

const tags = ['shares']

const ShareId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22}$/, 'must be a share id (22 characters of A-Z, a-z, 0-9, _ and -)')
  .openapi({ param: { name: 'id', in: 'path' }, example: 'vD3cB4xq0oYy7bCk1mQf2A' })
const IdParams = z.object({ id: ShareId })
const TrackParams = z.object({
  id: ShareId,
  trackId: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
    .openapi({ param: { name: 'trackId', in: 'path' }, example: '1' }),
})

const Expiry = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time' }).openapi({
  description: `when the link stops working (ISO 8601); ${SHARE_LIMITS.defaultDays} days ahead by default`,
})

const ShareSchema = z
  .object({
    id: z.string(),
    path: z.string().openapi({ description: 'the public page, e.g. /share/<id>; no account needed' }),
    url: z.string().openapi({ description: 'the page on the address this request used' }),
    description: z.string(),
    owner: z.object({ id: z.number().int(), username: z.string() }),
    createdAt: z.string(),
    changedAt: z.string(),
    expiresAt: z.string(),
    expired: z.boolean(),
    visitCount: z.number().int(),
    lastVisitedAt: z.string().nullable(),
    items: z.array(
      z.object({
        kind: z.enum(SHARE_KINDS),
        id: z.number().int(),
        name: z.string(),
        tracks: z
          .array(TrackSummarySchema)
          .openapi({ description: 'as visitors get them: within your folders' }),
      }),
    ),
  })
  .openapi('Share')

const list = createRoute({
  method: 'get',
  path: '/shares',
  tags,
  summary: 'Your shares, newest first (`all=true`: everyone’s, for an admin)',
  request: { query: z.object({ all: z.enum(['true', 'false']).optional() }) },
  responses: { 200: json(z.object({ items: z.array(ShareSchema) }), 'Shares'), ...errors(400, 401) },
})
const create = createRoute({
  method: 'post',
  path: '/shares',
  tags,
  summary: 'Share tracks, albums or playlists through a public, expiring link',
  description:
    'Needs the may-share right. Visitors play the items with media URLs issued for you when they press play, so your folders and bitrate cap apply.',
  request: {
    body: jsonBody(
      z
        .strictObject({
          items: z
            .array(z.strictObject({ kind: z.enum(SHARE_KINDS), id: z.number().int().positive() }))
            .min(1, 'name at least one item')
            .max(SHARE_LIMITS.items),
          description: z.string().max(SHARE_LIMITS.description).optional(),
          expiresAt: Expiry.optional(),
        })
        .openapi('NewShare'),
    ),
  },
  responses: { 201: json(ShareSchema, 'Created'), ...errors(400, 401, 403, 413, 415) },
})
const get = createRoute({
  method: 'get',
  path: '/shares/{id}',
  tags,
  summary: 'One of your shares, with its visits',
  request: { params: IdParams },
  responses: { 200: json(ShareSchema, 'The share'), ...errors(400, 401, 404) },
})
const update = createRoute({
  method: 'patch',
  path: '/shares/{id}',
  tags,
  summary: 'Change the description or the expiry (a past share can be revived)',
  request: {
    params: IdParams,
    body: jsonBody(
      z
        .strictObject({
          description: z.string().max(SHARE_LIMITS.description).optional(),
          expiresAt: Expiry.optional(),
        })
        .openapi('SharePatch'),
    ),
  },
  responses: { 200: json(ShareSchema, 'The share'), ...errors(400, 401, 403, 404, 415) },
})
const remove = createRoute({
  method: 'delete',
  path: '/shares/{id}',
  tags,
  summary: 'Delete a share; its link stops working at once',
  request: { params: IdParams },
  responses: { 204: noContent('Deleted'), ...errors(400, 401, 403, 404) },
})
const stream = createRoute({
  method: 'get',
  path: '/shares/{id}/tracks/{trackId}',
  tags,
  summary: 'Play a track of a share: a redirect to a signed media URL; needs no account',
  description:
    'The public page’s media source. While the share is active, issues a signed progressive URL for the share’s owner (their grants and bitrate cap apply) and redirects to it. An expired share answers 410, an unknown or deleted one 404.',
  security: [],
  request: { params: TrackParams },
  responses: {
    302: { description: 'To the signed progressive URL (Location)' },
    ...errors(400, 404, 429),
    410: problemDoc('The share has expired'),
  },
})

/** The page's absolute URL on the address the client used, as the play route does for media URLs. */
function withUrl(c: Context<AppEnv>, share: Share) {
  const client = c.get('client')
  const origin = client.host
    ? `${client.secure ? 'https' : 'http'}://${client.host}`
    : new URL(c.req.url).origin
  return { ...share, url: new URL(share.path, origin).href }
}

const expiry = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso))

export function shareRoutes(shares: Shares) {
  return createRouter()
    .openapi(list, (c) => {
      const all = c.req.valid('query').all === 'true'
      return c.json({ items: shares.list(principalOf(c), { all }).map((s) => withUrl(c, s)) }, 200)
    })
    .openapi(create, (c) => {
      const { items, description, expiresAt } = c.req.valid('json')
      const share = shares.create(principalOf(c), { items, description, expiresAt: expiry(expiresAt) })
      return c.json(withUrl(c, share), 201)
    })
    .openapi(get, (c) => c.json(withUrl(c, shares.get(principalOf(c), c.req.valid('param').id)), 200))
    .openapi(update, (c) => {
      const { description, expiresAt } = c.req.valid('json')
      const share = shares.update(principalOf(c), c.req.valid('param').id, {
        description,
        expiresAt: expiry(expiresAt),
      })
      return c.json(withUrl(c, share), 200)
    })
    .openapi(remove, (c) => {
      shares.delete(principalOf(c), c.req.valid('param').id)
      return c.body(null, 204)
    })
    .openapi(stream, async (c) => {
      const { id, trackId } = c.req.valid('param')
      const result = await shares.stream(id, Number(trackId))
      if (result.state === 'expired')
        return problem(c, 410, 'gone', `this share expired at ${result.expiredAt}`) as never
      // Each press of play asks again, so an expired or deleted share stops handing out URLs at once.
      c.header('cache-control', 'no-store')
      return c.redirect(result.play.progressive, 302)
    })
}
