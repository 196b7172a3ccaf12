import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Principal } from '../../accounts/index.ts'
import { type Events, PERIODS, type Scope, WINDOWS } from '../../events/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { readableUser } from '../principal.ts'
import { ProblemResponses } from './problems.ts'

const scope = z
  .enum(['me', 'household'])
  .default('me')
  .openapi({ description: '`me`: your plays; `household`: everyone’s on this server, summed' })
const period = z
  .enum(PERIODS)
  .default('month')
  .openapi({ description: 'Days ending today (UTC): 7, 30, 365, or all time' })
const limit = z.coerce.number().int().min(1).max(500).default(50)
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...ProblemResponses,
})
const toScope = (s: 'me' | 'household', p: Principal): Scope =>
  s === 'household' ? 'household' : { userId: p.userId }

const TopItem = z
  .object({
    id: z.string(),
    plays: z.number().int(),
    heardMs: z.number().int(),
    lastPlayedAt: z.number().int().nullable(),
  })
  .openapi('TopItem')

const topRoute = createRoute({
  method: 'get',
  path: '/stats/top',
  tags: ['stats'],
  summary: 'Most played tracks, albums or artists over a period',
  request: {
    query: z.object({ kind: z.enum(['track', 'album', 'artist']).default('track'), period, scope, limit }),
  },
  responses: json(
    z.object({ kind: z.string(), period: z.string(), scope: z.string(), items: z.array(TopItem) }),
    'Items by play count, then heard time',
  ),
})

const historyRoute = createRoute({
  method: 'get',
  path: '/stats/history',
  tags: ['stats'],
  summary: 'Your counted plays, newest first (private; admins may name a user)',
  request: {
    query: z.object({
      cursor: z.string().max(200).optional().openapi({ description: '`nextCursor` of the previous page' }),
      limit,
      userId: z.coerce.number().int().positive().optional(),
    }),
  },
  responses: json(
    z.object({
      items: z.array(
        z.object({
          trackId: z.string(),
          deviceId: z.string(),
          playedAt: z.number().int(),
          heardMs: z.number().int(),
          source: z.string(),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
    'One page of history',
  ),
})

const timeRoute = createRoute({
  method: 'get',
  path: '/stats/listening-time',
  tags: ['stats'],
  summary: 'Time spent listening over a period, per UTC day',
  request: { query: z.object({ period, scope }) },
  responses: json(
    z.object({
      period: z.string(),
      scope: z.string(),
      heardMs: z.number().int(),
      plays: z.number().int(),
      days: z.array(z.object({ day: z.string(), heardMs: z.number().int(), plays: z.number().int() })),
    }),
    'Totals and the days that had any listening',
  ),
})

const trendingRoute = createRoute({
  method: 'get',
  path: '/stats/trending',
  tags: ['stats'],
  summary: 'Tracks the household plays most right now',
  request: {
    query: z.object({
      window: z.enum(WINDOWS).default('day').openapi({ description: 'In whole hour buckets' }),
      limit,
    }),
  },
  responses: json(
    z.object({
      window: z.string(),
      items: z.array(z.object({ trackId: z.string(), plays: z.number().int() })),
    }),
    'Tracks by plays in the window',
  ),
})

const skipsRoute = createRoute({
  method: 'get',
  path: '/stats/skips',
  tags: ['stats'],
  summary: 'Most skipped tracks, with the skip rate (skips per start)',
  request: { query: z.object({ scope, limit }) },
  responses: json(
    z.object({
      items: z.array(
        z.object({
          trackId: z.string(),
          starts: z.number().int(),
          skips: z.number().int(),
          plays: z.number().int(),
          skipRate: z.number(),
        }),
      ),
    }),
    'Tracks by skip rate',
  ),
})

const nowPlayingRoute = createRoute({
  method: 'get',
  path: '/stats/now-playing',
  tags: ['stats'],
  summary: 'What every device in the household is playing',
  responses: json(
    z.object({
      items: z.array(
        z.object({
          userId: z.number().int(),
          deviceId: z.string(),
          trackId: z.string(),
          startedAt: z.number().int(),
          durationMs: z.number().int().nullable(),
          state: z.enum(['playing', 'paused']),
          positionMs: z.number().int(),
        }),
      ),
    }),
    'Devices playing a track with less than its length played, or paused on one within the last 30 minutes, that have not ended it',
  ),
})

export function statsRoutes(events: Events) {
  const { stats } = events
  return new OpenAPIHono<AppEnv>()
    .openapi(topRoute, (c) => {
      const q = c.req.valid('query')
      const items = stats.top(q.kind, q.period, toScope(q.scope, principalOf(c)), q.limit)
      return c.json({ kind: q.kind, period: q.period, scope: q.scope, items }, 200)
    })
    .openapi(historyRoute, (c) => {
      const principal = principalOf(c)
      const q = c.req.valid('query')
      const userId = readableUser(principal, q.userId) ?? principal.userId
      return c.json(stats.history(userId, { cursor: q.cursor, limit: q.limit }), 200)
    })
    .openapi(timeRoute, (c) => {
      const q = c.req.valid('query')
      const total = stats.listeningTime(q.period, toScope(q.scope, principalOf(c)))
      return c.json({ period: q.period, scope: q.scope, ...total }, 200)
    })
    .openapi(trendingRoute, (c) => {
      principalOf(c)
      const q = c.req.valid('query')
      return c.json({ window: q.window, items: stats.trending(q.window, q.limit) }, 200)
    })
    .openapi(skipsRoute, (c) => {
      const q = c.req.valid('query')
      return c.json({ items: stats.skips(toScope(q.scope, principalOf(c)), q.limit) }, 200)
    })
    .openapi(nowPlayingRoute, (c) => {
      principalOf(c)
      return c.json({ items: stats.nowPlaying() }, 200)
    })
}
