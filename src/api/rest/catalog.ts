import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Catalog } from '../../catalog/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import {
  AlbumDetailSchema,
  AlbumListQuery,
  AlbumPage,
  ArtistDetailSchema,
  ArtistListQuery,
  ArtistPage,
  GenrePage,
  IdParam,
  json,
  PageQuery,
  problemResponses,
  TrackDetailSchema,
  TrackListQuery,
  TrackPage,
} from './catalog-schemas.ts'
import { createRouter } from './router.ts'

const granted = (c: Context<AppEnv>) => principalOf(c).folderIds

// Browse routes: translate query strings into catalog calls and nothing more. Grants arrive
// with accounts; the catalog calls already take the folder ids a user may see.

const tags = ['catalog']
const listed = 'One page; pass nextCursor as cursor for the next'

const artists = createRoute({
  method: 'get',
  path: '/artists',
  tags,
  summary: 'Artists by sort name',
  request: { query: ArtistListQuery },
  responses: { 200: json(ArtistPage, listed), 400: problemResponses[400] },
})
const artist = createRoute({
  method: 'get',
  path: '/artists/{id}',
  tags,
  summary: 'An artist with their albums and the albums they appear on',
  request: { params: IdParam },
  responses: { 200: json(ArtistDetailSchema, 'The artist'), ...problemResponses },
})
const albums = createRoute({
  method: 'get',
  path: '/albums',
  tags,
  summary: 'Albums sorted by name, year, recently added or most played; filtered by genre, years, artist',
  request: { query: AlbumListQuery },
  responses: { 200: json(AlbumPage, listed), 400: problemResponses[400] },
})
const album = createRoute({
  method: 'get',
  path: '/albums/{id}',
  tags,
  summary: 'An album with its tracks in disc and track order',
  request: { params: IdParam },
  responses: { 200: json(AlbumDetailSchema, 'The album'), ...problemResponses },
})
const tracks = createRoute({
  method: 'get',
  path: '/tracks',
  tags,
  summary: 'Tracks sorted by title or recently added; filtered by album, artist, genre',
  request: { query: TrackListQuery },
  responses: { 200: json(TrackPage, listed), 400: problemResponses[400] },
})
const track = createRoute({
  method: 'get',
  path: '/tracks/{id}',
  tags,
  summary: 'A track with all its tags, artists, genres and lyrics',
  request: { params: IdParam },
  responses: { 200: json(TrackDetailSchema, 'The track'), ...problemResponses },
})
const genres = createRoute({
  method: 'get',
  path: '/genres',
  tags,
  summary: 'Genres with their album and track counts',
  request: { query: PageQuery },
  responses: { 200: json(GenrePage, listed), 400: problemResponses[400] },
})

export function catalogRoutes(catalog: Catalog) {
  return (
    createRouter()
      // Every read is limited to the folders the caller was granted (all of them for admins).
      .openapi(artists, (c) =>
        c.json(catalog.listArtists({ ...c.req.valid('query'), folderIds: granted(c) }), 200),
      )
      .openapi(artist, (c) => c.json(catalog.getArtist(c.req.valid('param').id, granted(c)), 200))
      .openapi(albums, (c) =>
        c.json(catalog.listAlbums({ ...c.req.valid('query'), folderIds: granted(c) }), 200),
      )
      .openapi(album, (c) => c.json(catalog.getAlbum(c.req.valid('param').id, granted(c)), 200))
      .openapi(tracks, (c) =>
        c.json(catalog.listTracks({ ...c.req.valid('query'), folderIds: granted(c) }), 200),
      )
      .openapi(track, (c) => c.json(catalog.getTrack(c.req.valid('param').id, granted(c)), 200))
      .openapi(genres, (c) => c.json(catalog.listGenres(c.req.valid('query')), 200))
  )
}
