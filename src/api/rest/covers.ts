import { createRoute, z } from '@hono/zod-openapi'
import { type Catalog, COVER_SIZES } from '../../catalog/index.ts'
import { principalOf } from '../guard.ts'
import { problemResponses } from './catalog-schemas.ts'
import { ProblemSchema } from './problems.ts'
import { createRouter } from './router.ts'

// Cover ids are content hashes, so a cover URL never changes meaning: immutable caching. Private,
// because whether it is served depends on the listener's folders.
const CACHE_FOREVER = 'private, max-age=31536000, immutable'

const route = createRoute({
  method: 'get',
  path: '/covers/{id}',
  tags: ['catalog'],
  summary: 'Cover art, the original or resized to a JPEG',
  description: `\`size\` is rounded up to one of ${COVER_SIZES.join(', ')} pixels (the longer side; never enlarged).`,
  request: {
    params: z.object({
      id: z
        .string()
        .regex(/^[0-9a-f]{32}$/, 'not a cover id')
        .openapi({ param: { name: 'id', in: 'path' }, description: 'A `coverId` from an album or track' }),
    }),
    query: z.object({
      size: z.coerce
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(10_000, 'must be at most 10000')
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'The image; ETag and Cache-Control allow caching it forever',
      content: {
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    304: { description: 'The client already has this image (If-None-Match)' },
    ...problemResponses,
    429: {
      description: 'The audio engine that resizes covers is still starting; retry later',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    },
  },
})

export function coverRoutes(catalog: Catalog) {
  return createRouter().openapi(route, async (c) => {
    const { id } = c.req.valid('param')
    const { size } = c.req.valid('query')
    const headers = { 'cache-control': CACHE_FOREVER }
    catalog.checkCover(id, principalOf(c).folderIds)
    const expected = size === undefined ? `"${id}"` : undefined
    if (expected && c.req.header('if-none-match') === expected)
      return c.body(null, 304, { ...headers, etag: expected })
    const image = await catalog.cover(id, size)
    if (c.req.header('if-none-match') === image.etag)
      return c.body(null, 304, { ...headers, etag: image.etag })
    return c.body(image.data as Uint8Array<ArrayBuffer>, 200, {
      ...headers,
      etag: image.etag,
      'content-type': image.mime,
    })
  })
}
