import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Principal } from '../../accounts/index.ts'
import type { Playlists } from '../../playlists/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import {
  AddTracksSchema,
  ExportQuery,
  ListQuery,
  MoveEntriesSchema,
  NewPlaylistSchema,
  PlaylistDetailSchema,
  PlaylistPatchSchema,
  PlaylistSummarySchema,
  RemoveEntriesSchema,
  ReplaceTracksSchema,
} from './playlist-schemas.ts'
import { createRouter } from './router.ts'
import { errors, IdParams, json, jsonBody, noContent } from './schemas.ts'

const tags = ['playlists']
const changed = 'The playlist after the change, as you see it'
const writeErrors = errors(400, 401, 403, 404, 413, 415)

const list = createRoute({
  method: 'get',
  path: '/playlists',
  tags,
  summary: 'Your playlists and the public ones of others (yours first, by name)',
  request: { query: ListQuery },
  responses: {
    200: json(z.object({ items: z.array(PlaylistSummarySchema) }), 'Playlists'),
    ...errors(400, 401),
  },
})
const create = createRoute({
  method: 'post',
  path: '/playlists',
  tags,
  summary: 'Create a playlist, optionally with tracks',
  request: { body: jsonBody(NewPlaylistSchema) },
  responses: { 201: json(PlaylistDetailSchema, 'Created'), ...writeErrors },
})
const get = createRoute({
  method: 'get',
  path: '/playlists/{id}',
  tags,
  summary: 'A playlist with its entries (only tracks in your folders) and their total duration',
  request: { params: IdParams },
  responses: { 200: json(PlaylistDetailSchema, 'The playlist'), ...errors(400, 401, 404) },
})
const update = createRoute({
  method: 'patch',
  path: '/playlists/{id}',
  tags,
  summary: 'Rename, comment, make public, private or collaborative (owner or admin)',
  request: { params: IdParams, body: jsonBody(PlaylistPatchSchema) },
  responses: { 200: json(PlaylistDetailSchema, changed), ...writeErrors },
})
const remove = createRoute({
  method: 'delete',
  path: '/playlists/{id}',
  tags,
  summary: 'Delete a playlist (owner or admin)',
  request: { params: IdParams },
  responses: { 204: noContent('Deleted'), ...errors(400, 401, 403, 404) },
})
const replace = createRoute({
  method: 'put',
  path: '/playlists/{id}/tracks',
  tags,
  summary: 'Replace every entry with these tracks, in this order',
  request: { params: IdParams, body: jsonBody(ReplaceTracksSchema) },
  responses: { 200: json(PlaylistDetailSchema, changed), ...writeErrors },
})
const add = createRoute({
  method: 'post',
  path: '/playlists/{id}/entries',
  tags,
  summary: 'Insert tracks at an index (the end by default)',
  request: { params: IdParams, body: jsonBody(AddTracksSchema) },
  responses: { 200: json(PlaylistDetailSchema, changed), ...writeErrors },
})
const removeEntries = createRoute({
  method: 'post',
  path: '/playlists/{id}/entries/remove',
  tags,
  summary: 'Remove entries by entry id or by index',
  request: { params: IdParams, body: jsonBody(RemoveEntriesSchema) },
  responses: { 200: json(PlaylistDetailSchema, changed), ...writeErrors },
})
const move = createRoute({
  method: 'post',
  path: '/playlists/{id}/entries/move',
  tags,
  summary: 'Move entries (in the order given) to an index; only the moved rows are written',
  request: { params: IdParams, body: jsonBody(MoveEntriesSchema) },
  responses: { 200: json(PlaylistDetailSchema, changed), ...writeErrors },
})
const exportRoute = createRoute({
  method: 'get',
  path: '/playlists/{id}/export',
  tags,
  summary: 'The playlist as an M3U, M3U8 or XSPF file',
  request: { params: IdParams, query: ExportQuery },
  responses: {
    200: {
      description: 'The playlist file (sent as an attachment)',
      content: {
        'audio/x-mpegurl': { schema: z.string() },
        'application/xspf+xml': { schema: z.string() },
      },
    },
    ...errors(400, 401, 404),
  },
})

export function playlistRoutes(playlists: Playlists) {
  const id = (raw: { id: string }) => Number(raw.id)
  /** A change, then the playlist as the caller now sees it. */
  const changed = (c: Context<AppEnv>, playlistId: number, apply: (p: Principal) => unknown) => {
    const p = principalOf(c)
    apply(p)
    return playlists.get(p, playlistId)
  }
  return createRouter()
    .openapi(list, (c) =>
      c.json({ items: playlists.list(principalOf(c), { ownerId: c.req.valid('query').ownerId }) }, 200),
    )
    .openapi(create, (c) => {
      const p = principalOf(c)
      return c.json(playlists.get(p, playlists.create(p, c.req.valid('json')).id), 201)
    })
    .openapi(get, (c) => c.json(playlists.get(principalOf(c), id(c.req.valid('param'))), 200))
    .openapi(update, (c) => {
      const pid = id(c.req.valid('param'))
      return c.json(
        changed(c, pid, (p) => playlists.update(p, pid, c.req.valid('json'))),
        200,
      )
    })
    .openapi(remove, (c) => {
      playlists.delete(principalOf(c), id(c.req.valid('param')))
      return c.body(null, 204)
    })
    .openapi(replace, (c) => {
      const pid = id(c.req.valid('param'))
      return c.json(
        changed(c, pid, (p) => playlists.replaceTracks(p, pid, c.req.valid('json').trackIds)),
        200,
      )
    })
    .openapi(add, (c) => {
      const pid = id(c.req.valid('param'))
      const { trackIds, index } = c.req.valid('json')
      return c.json(
        changed(c, pid, (p) => playlists.addTracks(p, pid, trackIds, index)),
        200,
      )
    })
    .openapi(removeEntries, (c) => {
      const pid = id(c.req.valid('param'))
      return c.json(
        changed(c, pid, (p) => playlists.removeEntries(p, pid, c.req.valid('json'))),
        200,
      )
    })
    .openapi(move, (c) => {
      const pid = id(c.req.valid('param'))
      const { entryIds, to } = c.req.valid('json')
      return c.json(
        changed(c, pid, (p) => playlists.moveEntries(p, pid, entryIds, to)),
        200,
      )
    })
    .openapi(exportRoute, (c) => {
      const file = playlists.export(principalOf(c), id(c.req.valid('param')), c.req.valid('query').format)
      // RFC 6266: an ASCII fallback plus the exact UTF-8 name.
      const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
      return c.body(file.body, 200, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      })
    })
}
