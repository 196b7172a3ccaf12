import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Principal } from '../../accounts/index.ts'
import { type Catalog, MAX_SONGS } from '../../catalog/index.ts'
import { forbidden, notFound } from '../../lib/errors.ts'
import type { Playlists } from '../../playlists/index.ts'
import type { Archive, ArchiveSong, Streaming } from '../../stream/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { createRouter } from './router.ts'
import { errors, IdParams } from './schemas.ts'

// Zip downloads of an album, a directory or a playlist, for REST and Subsonic's `download` alike:
// which songs (the catalog, filtered by the user's folders) is chosen here; the archive itself is
// the streaming domain's (src/stream/archive.ts).

export interface DownloadDeps {
  catalog: Catalog
  streaming: Streaming
  playlists?: Playlists
}

/** Asked first, as for one song: without the grant, nothing is looked up (and nothing revealed). */
function mayDownload(who: Principal) {
  if (!who.canDownload) throw forbidden('this user may not download original files')
}

export function albumArchive(deps: DownloadDeps, who: Principal, albumId: number): Promise<Archive> {
  mayDownload(who)
  const songs = deps.catalog.listSongs({
    albumId,
    folderIds: who.folderIds,
    order: 'album',
    limit: MAX_SONGS,
  })
  const first = songs[0]
  if (!first) throw notFound(`album ${albumId}`)
  return deps.streaming.archive(who, {
    name: `${first.albumArtist || first.artist} - ${first.album}`,
    songs,
    kind: 'album',
  })
}

/** The songs directly in a directory (as getMusicDirectory lists them), not its subdirectories. */
export function directoryArchive(
  deps: DownloadDeps,
  who: Principal,
  dir: { folderId: number; dir: string },
): Promise<Archive> {
  mayDownload(who)
  const songs: ArchiveSong[] = []
  if (who.folderIds.includes(dir.folderId))
    for (let offset = 0; ; offset += MAX_SONGS) {
      const page = deps.catalog.listSongs({
        under: dir,
        folderIds: who.folderIds,
        order: 'tree',
        limit: MAX_SONGS,
        offset,
      })
      const below = (s: (typeof page)[number]) => (dir.dir === '' ? s.dir : s.dir.slice(dir.dir.length + 1))
      songs.push(...page.map((s) => ({ ...s, path: [below(s), s.file].filter(Boolean).join('/') })))
      if (page.length < MAX_SONGS) break
    }
  const name = dir.dir.split('/').filter(Boolean).at(-1) ?? 'Music'
  if (songs.length === 0) throw notFound(`directory ${dir.dir || '/'}`)
  return deps.streaming.archive(who, { name, songs, kind: 'tree' })
}

/** A playlist the user may see, with the entries whose tracks they may see, in its order. */
export function playlistArchive(deps: DownloadDeps, who: Principal, playlistId: number): Promise<Archive> {
  mayDownload(who)
  if (!deps.playlists) throw notFound(`playlist ${playlistId}`)
  const playlist = deps.playlists.get(who, playlistId)
  const ids = playlist.entries.map((e) => e.trackId)
  const byId = new Map(
    deps.catalog
      .listSongs({ ids: [...new Set(ids)], folderIds: who.folderIds, limit: MAX_SONGS })
      .map((s) => [s.id, s]),
  )
  const songs = ids.map((id) => byId.get(id)).filter((s): s is NonNullable<typeof s> => s !== undefined)
  if (songs.length === 0) throw notFound(`songs of playlist ${playlistId} you may download`)
  return deps.streaming.archive(who, { name: playlist.name, songs: songs as ArchiveSong[], kind: 'list' })
}

/** RFC 6266: an ASCII fallback name and the real one in UTF-8. */
function disposition(fileName: string): string {
  const ascii = fileName.normalize('NFKD').replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`
}

/** The archive as the answer: no length (entries are sized as they stream) and no ranges. */
export function sendArchive(c: Context<AppEnv>, archive: Archive): Response {
  const headers = {
    'content-type': 'application/zip',
    'content-disposition': disposition(archive.fileName),
    'cache-control': 'no-store',
    'accept-ranges': 'none',
  }
  if (c.req.method === 'HEAD') {
    void archive.stream.cancel()
    return new Response(null, { headers })
  }
  return new Response(archive.stream, { headers })
}

const zip = (what: string) => ({
  200: {
    description: `A zip of the original files of the ${what}, stored (audio does not compress), streamed`,
    content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
  },
  ...errors(400, 401, 403, 404, 429),
})

const albumDownload = createRoute({
  method: 'get',
  path: '/albums/{id}/download',
  tags: ['streaming'],
  summary: 'Download an album: its original files in a zip, "Artist - Album/01 - Title.ext"',
  description:
    'Needs the download grant (403 without it). Only the tracks in your folders are included; an album with none there is 404. Multi-disc albums get a "Disc N/" folder per disc.',
  request: { params: IdParams },
  responses: zip('album'),
})

const playlistDownload = createRoute({
  method: 'get',
  path: '/playlists/{id}/download',
  tags: ['streaming'],
  summary: 'Download a playlist: its original files in a zip, "Name/01 - Artist - Title.ext" in its order',
  description:
    'Needs the download grant (403 without it) and a playlist you may see; tracks outside your folders are left out.',
  request: { params: IdParams },
  responses: zip('playlist'),
})

export function downloadRoutes(deps: DownloadDeps) {
  const router = createRouter().openapi(albumDownload, async (c) =>
    sendArchive(c, await albumArchive(deps, principalOf(c), Number(c.req.valid('param').id))),
  )
  if (!deps.playlists) return router
  return router.openapi(playlistDownload, async (c) =>
    sendArchive(c, await playlistArchive(deps, principalOf(c), Number(c.req.valid('param').id))),
  )
}
