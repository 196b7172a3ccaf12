import { lyricLines } from '../../catalog/index.ts'
import { DomainError } from '../../lib/errors.ts'
import { type Streaming, streamChoice } from '../../stream/index.ts'
import { albumArchive, directoryArchive, playlistArchive, sendArchive } from '../rest/download.ts'
import { publicOrigin } from '../rest/play.ts'
import { fromTheStart, liveAnswer, sendFile } from '../rest/send-file.ts'
import { orNotFound } from './browsing.ts'
import type { Call, RouteTable, SubsonicDeps } from './context.ts'
import type { Node } from './encode.ts'
import { CODES, notAuthorized, notFound, SubsonicError, unsupported } from './errors.ts'
import { idOf, parseId } from './ids.ts'

// Media retrieval over the streaming domain and the audio ladder: `stream` maps maxBitRate, format
// and timeOffset onto the ladder's renditions, `hls` is the HLS ladder itself, `download` the
// original (a zip of them for an album, directory or playlist); covers and lyrics come from the catalog.

function requireStreaming(deps: SubsonicDeps): Streaming {
  if (!deps.streaming) throw new SubsonicError(CODES.generic, 'streaming is not available on this server')
  return deps.streaming
}

/** A song the caller may see, or Subsonic's not-found (never "forbidden": ids reveal nothing). */
function grantOf({ params, principal, deps }: Call) {
  const raw = params.required('id')
  const id = idOf(raw, 'song')
  const streaming = requireStreaming(deps)
  try {
    return { streaming, id, grant: streaming.grantFor(principal, id) }
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound(`song ${raw}`)
    throw err
  }
}

async function stream(call: Call): Promise<Response> {
  const { params, c, principal } = call
  const { streaming, grant } = grantOf(call)
  const request = { format: params.get('format'), maxBitRate: params.int('maxBitRate', { min: 0 }) }
  const offset = params.int('timeOffset', { min: 0 }) ?? 0
  const files = streaming.fileProfiles()
  let choice = streamChoice(principal, files, request)
  if (offset > 0) {
    // Seeking into the original is the client's job (Range); an offset means a transcode from there.
    if (choice.format === 'original')
      choice = streamChoice({ ...principal, canDownload: false }, files, request)
    if (choice.format === 'rendition')
      return liveAnswer(c, await streaming.transcode(grant, choice.profile.id, offset, c.req.raw.signal))
  }
  if (choice.format === 'original') return sendFile(c, await streaming.original(grant))
  const wait = c.req.method === 'HEAD' || !fromTheStart(c.req.header('range'))
  const file = await streaming.rendition(grant, choice.profile.id, { wait, signal: c.req.raw.signal })
  if (file) return sendFile(c, file)
  return liveAnswer(c, await streaming.transcode(grant, choice.profile.id, 0, c.req.raw.signal))
}

/** A song's original; an album, directory or playlist as a zip of its originals (src/api/rest/download.ts). */
async function download(call: Call): Promise<Response> {
  const { params, principal, deps, c } = call
  if (!principal.canDownload) throw notAuthorized('this user may not download original files')
  const raw = params.required('id')
  const id = parseId(raw)
  if (id.kind === 'song') {
    const { streaming, grant } = grantOf(call)
    return sendFile(c, await streaming.original(grant))
  }
  const zipDeps = { catalog: deps.catalog, streaming: requireStreaming(deps), playlists: deps.playlists }
  const archive = await (async () => {
    try {
      if (id.kind === 'album') return await albumArchive(zipDeps, principal, id.id)
      if (id.kind === 'directory') return await directoryArchive(zipDeps, principal, id)
      if (id.kind === 'playlist') return await playlistArchive(zipDeps, principal, id.id)
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') throw notFound(`${raw.slice(0, 80)}`)
      throw err
    }
    throw unsupported(`download of ${id.kind} ids`, 'download a song, an album, a directory or a playlist')
  })()
  return sendArchive(c, archive)
}

/**
 * The HLS master playlist of the ladder, with absolute signed URLs so any player can follow it;
 * `bitRate` caps the rungs (the user's own cap always applies).
 */
async function hls(call: Call): Promise<Response> {
  const { params, principal, c } = call
  const { streaming, id, grant } = grantOf(call)
  const asked = params
    .all('bitRate')
    .map((b) => Number(/(?:@)?(\d+)$/.exec(b)?.[1] ?? Number.NaN))
    .filter((n) => Number.isFinite(n) && n > 0)
  const cap = asked.length > 0 ? Math.max(...asked) : 0
  const maxBitrate =
    cap && principal.maxBitrate ? Math.min(cap, principal.maxBitrate) : cap || principal.maxBitrate
  const info = await streaming.play(principal, id)
  const master = await streaming.master({ ...grant, access: { ...grant.access, maxBitrate } })
  const base = new URL(info.hls, publicOrigin(c))
  const text = master
    .split('\n')
    .map((line) => (line === '' || line.startsWith('#') ? line : new URL(line, base).href))
    .join('\n')
  return c.body(text, 200, { 'content-type': 'application/vnd.apple.mpegurl', 'cache-control': 'no-store' })
}

/** Cover ids as given out, or the id of a song, album, artist or directory, whose cover is meant. */
function coverIdOf({ params, principal, deps }: Call): string {
  const raw = params.required('id')
  const id = parseId(raw)
  const folderIds = principal.folderIds
  let cover: string | null | undefined
  if (id.kind === 'cover') {
    // A bare cover id is a hash of the picture: served only when it belongs to the caller's folders.
    orNotFound(`cover art ${raw.slice(0, 80)}`, () => deps.catalog.checkCover(id.id, folderIds))
    cover = id.id
  } else if (id.kind === 'song') cover = deps.catalog.listSongs({ ids: [id.id], folderIds })[0]?.coverId
  else if (id.kind === 'album') cover = deps.catalog.listAlbumsAt({ ids: [id.id], folderIds })[0]?.coverId
  else if (id.kind === 'artist') {
    // An artist has no picture of its own here: the cover of its first album stands for it.
    try {
      const artist = deps.catalog.getArtist(id.id, folderIds)
      cover = [...artist.albums, ...artist.appearsOn].find((a) => a.coverId)?.coverId
    } catch {
      cover = undefined
    }
  } else if (id.kind === 'directory' && folderIds.includes(id.folderId)) {
    const songs = deps.catalog.listSongs({ dir: { folderId: id.folderId, dir: id.dir }, folderIds, limit: 1 })
    cover = songs[0]?.coverId
    if (!cover) {
      try {
        cover = deps.catalog
          .getDirectory(id.folderId, id.dir, { folderIds })
          .subdirectories.find((d) => d.coverId)?.coverId
      } catch {
        cover = undefined
      }
    }
  }
  if (!cover) throw notFound(`cover art for ${raw.slice(0, 80)}`)
  return cover
}

async function getCoverArt(call: Call): Promise<Response> {
  const { params, c, deps } = call
  const id = coverIdOf(call)
  const size = params.int('size', { min: 1, max: 10_000 })
  const headers = { 'cache-control': 'private, max-age=31536000, immutable' }
  const image = await deps.catalog.cover(id, size).catch((err) => {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound(`cover art ${id}`)
    throw err
  })
  if (c.req.header('if-none-match') === image.etag) return c.body(null, 304, { ...headers, etag: image.etag })
  return c.body(image.data as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    etag: image.etag,
    'content-type': image.mime,
  })
}

function getLyrics({ params, principal, deps }: Call): Node {
  const title = params.get('title')
  const artist = params.get('artist') || undefined
  if (!title) return { lyrics: {} }
  const found = deps.catalog.findLyrics({ artist, title, folderIds: principal.folderIds })
  const lyric = found?.lyrics.find((l) => !l.synced) ?? found?.lyrics[0]
  if (!found || !lyric) return { lyrics: { artist, title } }
  const text = lyric.synced
    ? lyricLines(lyric.text, true)
        .lines.map((l) => l.text)
        .join('\n')
    : lyric.text
  return { lyrics: { artist: found.artist, title: found.title, value: text } }
}

function getLyricsBySongId({ params, principal, deps }: Call): Node {
  const raw = params.required('id')
  const id = idOf(raw, 'song')
  const song = deps.catalog.listSongs({ ids: [id], folderIds: principal.folderIds })[0]
  if (!song) throw notFound(`song ${raw}`)
  const track = deps.catalog.getTrack(id, principal.folderIds)
  return {
    lyricsList: {
      structuredLyrics: track.lyrics.map((l) => {
        const { offsetMs, lines } = lyricLines(l.text, l.synced)
        return {
          displayArtist: song.artist,
          displayTitle: song.title,
          lang: l.lang ?? 'und',
          offset: offsetMs,
          synced: l.synced,
          line: lines.map((line) => ({ start: line.startMs, value: line.text })),
        }
      }),
    },
  }
}

export const mediaRoutes: RouteTable = {
  stream: { handler: stream },
  download: { handler: download },
  hls: { handler: hls },
  getCoverArt: { handler: getCoverArt },
  getLyrics: { handler: getLyrics },
  getLyricsBySongId: { handler: getLyricsBySongId },
  getAvatar: {
    handler: ({ params }) => {
      throw notFound(`avatar of ${params.required('username').slice(0, 64)}: Tonearm keeps no avatars`)
    },
  },
  getCaptions: {
    handler: () => {
      throw unsupported('getCaptions', 'Tonearm serves music, not video')
    },
  },
}
