import { createRoute, z } from '@hono/zod-openapi'
import { BOOKMARK_COMMENT_MAX, type ItemKind, type Library } from '../../library/index.ts'
import { principalOf } from '../guard.ts'
import { AlbumSummarySchema, ArtistSummarySchema, TrackSummarySchema } from './catalog-schemas.ts'
import { createRouter } from './router.ts'
import { errors, json, jsonBody, noContent } from './schemas.ts'

// The caller's own stars, ratings and bookmarks: the user always comes from the credential.

const tags = ['library']
const KINDS = { tracks: 'track', albums: 'album', artists: 'artist' } as const satisfies Record<
  string,
  ItemKind
>

const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .openapi({ param: { name: 'id', in: 'path' }, example: '1' })
const ItemParams = z.object({
  kind: z
    .enum(['tracks', 'albums', 'artists'])
    .openapi({ param: { name: 'kind', in: 'path' }, example: 'tracks' }),
  id: Id,
})
const TrackParams = z.object({
  trackId: Id.openapi({ param: { name: 'trackId', in: 'path' }, example: '1' }),
})

const starredAt = { starredAt: z.string() }
const StarredSchema = z
  .object({
    tracks: z.array(TrackSummarySchema.extend(starredAt)),
    albums: z.array(AlbumSummarySchema.extend(starredAt)),
    artists: z.array(ArtistSummarySchema.extend(starredAt)),
  })
  .openapi('Starred')

const AnnotationSchema = z
  .object({ id: z.number().int(), starred: z.string().nullable(), userRating: z.number().int().nullable() })
  .openapi('Annotation')

const BookmarkSchema = z
  .object({
    trackId: z.number().int(),
    positionMs: z.number().int(),
    comment: z.string(),
    createdAt: z.string(),
    changedAt: z.string(),
    track: TrackSummarySchema,
  })
  .openapi('Bookmark')

const starred = createRoute({
  method: 'get',
  path: '/library/starred',
  tags,
  summary: 'Everything you starred that is in your folders, by kind, newest star first',
  responses: { 200: json(StarredSchema, 'Your stars'), ...errors(401) },
})
const star = createRoute({
  method: 'put',
  path: '/library/starred/{kind}/{id}',
  tags,
  summary: 'Star a track, album or artist (starring again keeps the first time)',
  request: { params: ItemParams },
  responses: { 204: noContent('Starred'), ...errors(400, 401, 403) },
})
const unstar = createRoute({
  method: 'delete',
  path: '/library/starred/{kind}/{id}',
  tags,
  summary: 'Remove a star (no error when there was none)',
  request: { params: ItemParams },
  responses: { 204: noContent('Not starred'), ...errors(400, 401, 403) },
})
const rate = createRoute({
  method: 'put',
  path: '/library/ratings/{kind}/{id}',
  tags,
  summary: 'Rate a track, album or artist 1–5; 0 clears the rating',
  request: {
    params: ItemParams,
    body: jsonBody(
      z.strictObject({ rating: z.number().int('must be a whole number').min(0).max(5) }).openapi('Rating'),
    ),
  },
  responses: { 204: noContent('Rated'), ...errors(400, 401, 403, 415) },
})
const annotations = createRoute({
  method: 'get',
  path: '/library/annotations',
  tags,
  summary: 'Your star and rating of many items at once (for marking a list page)',
  request: {
    query: z.object({
      kind: z.enum(['tracks', 'albums', 'artists']),
      ids: z
        .string()
        .regex(/^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14}){0,499}$/, 'must be 1 to 500 comma-separated ids')
        .openapi({ example: '1,2,3' }),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(AnnotationSchema) }),
      'Only the items you starred or rated; the others have neither',
    ),
    ...errors(400, 401),
  },
})
const bookmarks = createRoute({
  method: 'get',
  path: '/library/bookmarks',
  tags,
  summary: 'Your bookmarks of tracks in your folders, most recently changed first',
  responses: { 200: json(z.object({ items: z.array(BookmarkSchema) }), 'Your bookmarks'), ...errors(401) },
})
const saveBookmark = createRoute({
  method: 'put',
  path: '/library/bookmarks/{trackId}',
  tags,
  summary: 'Create or move your bookmark of a track (one per track)',
  request: {
    params: TrackParams,
    body: jsonBody(
      z
        .strictObject({
          positionMs: z.number().int('must be a whole number').min(0, 'must be 0 or more'),
          comment: z.string().max(BOOKMARK_COMMENT_MAX).optional(),
        })
        .openapi('NewBookmark'),
    ),
  },
  responses: { 200: json(BookmarkSchema, 'The bookmark'), ...errors(400, 401, 403, 404, 415) },
})
const deleteBookmark = createRoute({
  method: 'delete',
  path: '/library/bookmarks/{trackId}',
  tags,
  summary: 'Delete your bookmark of a track',
  request: { params: TrackParams },
  responses: { 204: noContent('Deleted'), ...errors(400, 401, 403, 404) },
})

export function libraryRoutes(library: Library) {
  const item = (p: { kind: keyof typeof KINDS; id: string }) => ({ kind: KINDS[p.kind], id: Number(p.id) })
  return createRouter()
    .openapi(starred, (c) => c.json(library.starred(principalOf(c)), 200))
    .openapi(star, (c) => {
      library.star(principalOf(c), [item(c.req.valid('param'))])
      return c.body(null, 204)
    })
    .openapi(unstar, (c) => {
      library.unstar(principalOf(c), [item(c.req.valid('param'))])
      return c.body(null, 204)
    })
    .openapi(rate, (c) => {
      library.setRating(principalOf(c), item(c.req.valid('param')), c.req.valid('json').rating)
      return c.body(null, 204)
    })
    .openapi(annotations, (c) => {
      const { kind, ids } = c.req.valid('query')
      const found = library.annotations(principalOf(c).userId, KINDS[kind], ids.split(',').map(Number))
      return c.json({ items: [...found].map(([id, a]) => ({ id, ...a })) }, 200)
    })
    .openapi(bookmarks, (c) => c.json({ items: library.listBookmarks(principalOf(c)) }, 200))
    .openapi(saveBookmark, (c) =>
      c.json(
        library.saveBookmark(principalOf(c), Number(c.req.valid('param').trackId), c.req.valid('json')),
        200,
      ),
    )
    .openapi(deleteBookmark, (c) => {
      library.deleteBookmark(principalOf(c), Number(c.req.valid('param').trackId))
      return c.body(null, 204)
    })
}
