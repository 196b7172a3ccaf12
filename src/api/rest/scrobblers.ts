import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Events, SERVICES } from '../../events/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { ProblemResponses } from './problems.ts'

const Scrobbler = z
  .object({
    service: z.enum(SERVICES),
    connectedAt: z.number().int().openapi({ description: 'Plays received after this are submitted' }),
    active: z.boolean().openapi({ description: 'False once the service refused the credentials' }),
    disabledReason: z.string().nullable(),
    pending: z.number().int().openapi({ description: 'Submissions waiting to be delivered' }),
  })
  .openapi('Scrobbler')

const params = z.object({ service: z.enum(SERVICES) })

const listRoute = createRoute({
  method: 'get',
  path: '/me/scrobblers',
  tags: ['scrobbling'],
  summary: 'Your connected scrobbling services',
  responses: {
    200: {
      description: 'Services',
      content: { 'application/json': { schema: z.object({ items: z.array(Scrobbler) }) } },
    },
    ...ProblemResponses,
  },
})

const putRoute = createRoute({
  method: 'put',
  path: '/me/scrobblers/{service}',
  tags: ['scrobbling'],
  summary: 'Connect (or reconnect) ListenBrainz or Last.fm',
  description:
    'ListenBrainz: `{ "token": "<user token>" }`. Last.fm: `{ "sessionKey": "<sk>" }`, using the server’s API account (settings lastfmApiKey/lastfmApiSecret), or with your own `apiKey` and `apiSecret`. Secrets are stored encrypted and never returned. Only plays after connecting are submitted.',
  request: {
    params,
    body: {
      required: true,
      content: {
        'application/json': {
          // Which fields are required depends on the service; the domain checks that per service
          // (strictly, naming the offending field). Documented here as the union of both.
          schema: z
            .looseObject({
              token: z.string().optional().openapi({ description: 'ListenBrainz: your user token' }),
              sessionKey: z.string().optional().openapi({ description: 'Last.fm: your session key' }),
              apiKey: z
                .string()
                .optional()
                .openapi({ description: "Last.fm: your own API key (else the server's is used)" }),
              apiSecret: z
                .string()
                .optional()
                .openapi({ description: 'Last.fm: the secret of that API key' }),
            })
            .openapi({ example: { token: '00000000-0000-0000-0000-000000000000' } }),
        },
      },
    },
  },
  responses: {
    200: { description: 'Connected', content: { 'application/json': { schema: Scrobbler } } },
    ...ProblemResponses,
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/me/scrobblers/{service}',
  tags: ['scrobbling'],
  summary: 'Disconnect a service and drop what was waiting to be sent to it',
  request: { params },
  responses: { 204: { description: 'Disconnected (or was not connected)' }, ...ProblemResponses },
})

export function scrobblerRoutes(events: Events) {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, (c) => c.json({ items: events.scrobblers.list(principalOf(c).userId) }, 200))
    .openapi(putRoute, (c) => {
      const { userId } = principalOf(c)
      return c.json(events.scrobblers.set(userId, c.req.valid('param').service, c.req.valid('json')), 200)
    })
    .openapi(deleteRoute, (c) => {
      events.scrobblers.remove(principalOf(c).userId, c.req.valid('param').service)
      return c.body(null, 204)
    })
}
