import { createRoute, z } from '@hono/zod-openapi'
import { invalid } from '../../lib/errors.ts'
import { MAX_RECOMMENDED, type Recommender, type Seed } from '../../recommend/index.ts'
import { principalOf } from '../guard.ts'
import { TrackSummarySchema } from './catalog-schemas.ts'
import { createRouter } from './router.ts'
import { errors, json } from './schemas.ts'

// Recommendations for the signed-in listener: "more like this", radio and the home page's mixes.

const tags = ['recommendations']
const PositiveId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
const Limit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_RECOMMENDED, `must be at most ${MAX_RECOMMENDED}`)
    .default(fallback)

const RecommendedSchema = TrackSummarySchema.extend({
  because: z
    .enum(['listened-together', 'same-artist', 'same-genre', 'same-era'])
    .openapi({ description: 'The strongest reason it is here' }),
}).openapi('RecommendedTrack')

const MixSchema = z
  .object({
    id: z.enum(['for-you', 'household', 'rediscover']),
    name: z.string(),
    description: z.string(),
    tracks: z.array(TrackSummarySchema),
  })
  .openapi('Mix')

const similar = createRoute({
  method: 'get',
  path: '/tracks/{id}/similar',
  tags,
  summary: 'Tracks like this one: heard together by the household, then same artist, genre and era',
  request: {
    params: z.object({ id: PositiveId.openapi({ param: { name: 'id', in: 'path' }, example: '1' }) }),
    query: z.object({ limit: Limit(20) }),
  },
  responses: {
    200: json(z.object({ items: z.array(RecommendedSchema) }), 'Best first'),
    ...errors(400, 401, 404),
  },
})

const radio = createRoute({
  method: 'get',
  path: '/radio',
  tags,
  summary: 'A station from one track, album or artist: the seed track first, then what is like it',
  request: {
    query: z.object({
      trackId: PositiveId.optional(),
      albumId: PositiveId.optional(),
      artistId: PositiveId.optional(),
      limit: Limit(50),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(TrackSummarySchema) }), 'In play order'),
    ...errors(400, 401, 404),
  },
})

const mixes = createRoute({
  method: 'get',
  path: '/mixes',
  tags,
  summary: 'Your mixes: your mix, what the household plays that you have not heard, old favourites',
  responses: { 200: json(z.object({ items: z.array(MixSchema) }), 'Only mixes with tracks'), ...errors(401) },
})

function seedOf(q: { trackId?: string; albumId?: string; artistId?: string }): Seed {
  const given = (['track', 'album', 'artist'] as const).filter((k) => q[`${k}Id`] !== undefined)
  if (given.length !== 1)
    throw invalid('give exactly one of trackId, albumId or artistId', {
      field: given[1] ? `${given[1]}Id` : 'trackId',
    })
  const kind = given[0] as Seed['kind']
  return { kind, id: Number(q[`${kind}Id`]) }
}

export function recommendRoutes(recommender: Recommender) {
  return createRouter()
    .openapi(similar, (c) => {
      const items = recommender.similar(
        principalOf(c),
        Number(c.req.valid('param').id),
        c.req.valid('query').limit,
      )
      return c.json({ items }, 200)
    })
    .openapi(radio, (c) => {
      const q = c.req.valid('query')
      return c.json({ items: recommender.radio(principalOf(c), seedOf(q), q.limit) }, 200)
    })
    .openapi(mixes, (c) => c.json({ items: recommender.mixes(principalOf(c)) }, 200))
}
