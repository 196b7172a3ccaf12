import { createRoute, z } from '@hono/zod-openapi'
import type { Catalog } from '../../catalog/index.ts'
import { invalid } from '../../lib/errors.ts'
import type { Playlists } from '../../playlists/index.ts'
import { MAX_SUGGESTIONS, type PlaylistSearch, SEARCH_KINDS, type Search } from '../../search/index.ts'
import { principalOf } from '../guard.ts'
import {
  AlbumSummarySchema,
  ArtistSummarySchema,
  json,
  problemResponses,
  TrackSummarySchema,
} from './catalog-schemas.ts'
import { PlaylistSummarySchema } from './playlist-schemas.ts'
import { problem } from './problems.ts'
import { createRouter } from './router.ts'

// Search routes: parse the query string, ask the search domain for ranked ids, and dress them
// in the catalog's summaries. The cursor carries the query and each kind's offset, so a page
// never mixes two queries and each kind pages on its own.

const MAX_Q = 1024
const DEFAULT_PER_KIND = 20
const MAX_PER_KIND = 500

const q = z
  .string()
  .max(MAX_Q, `must be at most ${MAX_Q} characters`)
  .optional()
  .openapi({
    description:
      'Words to find (typos forgiven, the last word may be partial); filters `artist:`, `album:`, `genre:` ' +
      '(a word or a "quoted phrase") and `year:1992` or `year:1990-1999`. Empty: everything, in name order',
    example: 'rage machine',
  })

/** The catalog's kinds, and playlists (yours and the public ones). */
const RESULT_KINDS = [...SEARCH_KINDS, 'playlist'] as const
type ResultKind = (typeof RESULT_KINDS)[number]

const SearchQuery = z.object({
  q,
  type: z
    .enum(RESULT_KINDS)
    .optional()
    .openapi({ description: 'Only this kind of item (default: artists, albums, tracks and playlists)' }),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, `must be from 1 to ${MAX_PER_KIND}`)
    .max(MAX_PER_KIND, `must be from 1 to ${MAX_PER_KIND}`)
    .optional()
    .openapi({ description: `Items per kind and page (default ${DEFAULT_PER_KIND})` }),
  cursor: z
    .string()
    .optional()
    .openapi({ description: 'The `nextCursor` of the previous page (same `q` and `type`)' }),
})

const SuggestQuery = z.object({
  q,
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, `must be from 1 to ${MAX_SUGGESTIONS}`)
    .max(MAX_SUGGESTIONS, `must be from 1 to ${MAX_SUGGESTIONS}`)
    .optional()
    .openapi({ description: 'How many suggestions (default 8)' }),
})

const group = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().openapi({ description: 'Matches of this kind that you may see' }),
  })

const SearchResults = z
  .object({
    artists: group(ArtistSummarySchema).optional(),
    albums: group(AlbumSummarySchema).optional(),
    tracks: group(TrackSummarySchema).optional(),
    playlists: group(PlaylistSummarySchema).optional(),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for more; null when done' }),
  })
  .openapi('SearchResults')

const SuggestionSchema = z
  .object({
    kind: z.enum(SEARCH_KINDS),
    id: z.number(),
    name: z.string().openapi({ description: "An artist's or album's name, a track's title" }),
    artist: z.string().nullable(),
    albumId: z.number().nullable(),
    coverId: z.string().nullable(),
    year: z.number().nullable(),
  })
  .openapi('Suggestion')

const tags = ['search']
const busy = { 429: problem('The index is still being built at start-up; retry after Retry-After') }

const searchRoute = createRoute({
  method: 'get',
  path: '/search',
  tags,
  summary: 'Artists, albums, tracks and playlists matching a query, best first, grouped by kind and paged',
  request: { query: SearchQuery },
  responses: { 200: json(SearchResults, 'One page per kind'), 400: problemResponses[400], ...busy },
})

const suggestRoute = createRoute({
  method: 'get',
  path: '/search/suggest',
  tags,
  summary: 'A handful of artists, albums and tracks for the words being typed, mixed in one list',
  request: { query: SuggestQuery },
  responses: {
    200: json(z.object({ items: z.array(SuggestionSchema) }).openapi('Suggestions'), 'Best first'),
    400: problemResponses[400],
    ...busy,
  },
})

const PLURAL = { artist: 'artists', album: 'albums', track: 'tracks', playlist: 'playlists' } as const

function encodeCursor(query: string, kinds: readonly ResultKind[], offsets: number[]): string {
  return Buffer.from(JSON.stringify(['search', query, kinds.join(','), ...offsets])).toString('base64url')
}

function decodeCursor(cursor: string | undefined, query: string, kinds: readonly ResultKind[]): number[] {
  if (!cursor) return kinds.map(() => 0)
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    v = null
  }
  const ok =
    Array.isArray(v) &&
    v.length === kinds.length + 3 &&
    v[0] === 'search' &&
    v[1] === query &&
    v[2] === kinds.join(',') &&
    v.slice(3).every((n) => Number.isInteger(n) && n >= 0)
  if (!ok)
    throw invalid('cursor: not a cursor of this search (same q and type are needed)', { field: 'cursor' })
  return (v as number[]).slice(3)
}

/** Playlists found by the playlist index, summarised by the playlists domain as the caller sees them. */
export interface PlaylistResults {
  index: PlaylistSearch
  playlists: Playlists
}

export function searchRoutes(search: Search, catalog: Catalog, playlists?: PlaylistResults) {
  const summaries = {
    artist: catalog.artistSummaries,
    album: catalog.albumSummaries,
    track: catalog.trackSummaries,
  }
  const kindsByDefault: readonly ResultKind[] = playlists ? RESULT_KINDS : SEARCH_KINDS
  return createRouter()
    .openapi(searchRoute, (c) => {
      const { q: text = '', type, limit = DEFAULT_PER_KIND, cursor } = c.req.valid('query')
      const principal = principalOf(c)
      const { folderIds, userId } = principal
      const kinds = type ? [type] : kindsByDefault
      const offsets = decodeCursor(cursor, text, kinds)
      const body: Record<string, unknown> = {}
      let more = false
      const next = kinds.map((kind, i) => {
        const offset = offsets[i] as number
        if (kind === 'playlist') {
          if (!playlists)
            throw invalid('type: playlists are not searchable on this server', { field: 'type' })
          const found = playlists.index.find(text, { offset, limit, userId })
          const items = found.ids.flatMap((id) => {
            try {
              return [playlists.playlists.summary(principal, id)]
            } catch {
              return [] // deleted or made private since the index saw it
            }
          })
          body.playlists = { items, total: found.total }
          if (offset + found.ids.length < found.total) more = true
          return offset + found.ids.length
        }
        const found = search.find(kind, text, { offset, limit, folderIds, userId })
        const byId: Map<number, unknown> = summaries[kind](found.ids, folderIds)
        body[PLURAL[kind]] = { items: found.ids.flatMap((id) => byId.get(id) ?? []), total: found.total }
        const after = offset + found.ids.length
        if (after < found.total) more = true
        return after
      })
      return c.json(
        { ...body, nextCursor: more ? encodeCursor(text, kinds, next) : null } as z.infer<
          typeof SearchResults
        >,
        200,
      )
    })
    .openapi(suggestRoute, (c) => {
      const { q: text = '', limit } = c.req.valid('query')
      const { folderIds, userId } = principalOf(c)
      return c.json({ items: search.suggest(text, { limit, folderIds, userId }) }, 200)
    })
}
