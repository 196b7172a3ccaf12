import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import { fileBody } from '../../platform/files.ts'
import {
  contentRange,
  decide,
  PLAYLIST_CACHE,
  type RequestConditions,
  type ServedFile,
} from '../../stream/index.ts'
import type { AppEnv } from '../context.ts'
import { problem } from '../problem.ts'

/**
 * A file with RFC 9110 conditional and range handling (the decisions are in src/stream/ranges.ts):
 * 304 on a matching validator, 206 with Content-Range for one satisfiable range, 416 with
 * `Content-Range: bytes *\/size` and a problem document naming the fault, else the whole file.
 * HEAD gets the same headers and no body (the file is not even opened).
 */
export function sendFile(c: Context<AppEnv>, file: ServedFile): Response {
  const answer = fileAnswer(
    {
      range: c.req.header('range'),
      ifRange: c.req.header('if-range'),
      ifNoneMatch: c.req.header('if-none-match'),
      ifModifiedSince: c.req.header('if-modified-since'),
    },
    c.req.method === 'HEAD',
    file,
  )
  if (answer instanceof Response) return answer
  const res = problem(c, 416, 'range_not_satisfiable', answer.reason, { size: file.size })
  res.headers.set('content-range', contentRange(file.size))
  return res
}

/**
 * sendFile without a Hono context, for the media hot path (media-hot.ts): the response, or the
 * reason a range cannot be served, which the caller turns into its 416. `extra` headers go in
 * with the others, which costs less than setting them on the finished response.
 */
export function fileAnswer(
  conditions: RequestConditions,
  head: boolean,
  file: ServedFile,
  extra?: Readonly<Record<string, string>>,
): Response | { reason: string } {
  const headers = fileHeaders(file, extra)
  const decision = decide(conditions, file)
  switch (decision.status) {
    case 304:
      return new Response(null, { status: 304, headers })
    case 416:
      return { reason: decision.reason }
    case 206: {
      const { start, end } = decision
      headers['content-range'] = contentRange(file.size, decision)
      headers['content-length'] = String(end - start + 1)
      return new Response(head ? null : fileBody(file.path, start, end, file.size), { status: 206, headers })
    }
    case 200:
      headers['content-length'] = String(file.size)
      return new Response(head || file.size === 0 ? null : fileBody(file.path, 0, file.size - 1, file.size), {
        headers,
      })
  }
}

/** The headers every answer about `file` carries, whatever its status. */
export function fileHeaders(
  file: ServedFile,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = {
    ...extra,
    'content-type': file.contentType,
    'cache-control': file.cacheControl,
    etag: file.etag,
    'accept-ranges': 'bytes',
  }
  if (file.lastModified) headers['last-modified'] = file.lastModified.toUTCString()
  return headers
}

/** A playlist: small text, short-lived, with a strong ETag so a player's refresh can be a 304. */
export function sendPlaylist(c: Context<AppEnv>, text: string): Response {
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`
  const headers = {
    'content-type': 'application/vnd.apple.mpegurl',
    'cache-control': PLAYLIST_CACHE,
    etag,
  }
  const inm = c.req.header('if-none-match')
  if (inm?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers })
  }
  return new Response(c.req.method === 'HEAD' ? null : text, { headers })
}

/** A transcode streamed as ffmpeg writes it: no length, no ranges, never cached. */
export function liveAnswer(
  c: Context<AppEnv>,
  out: { stream: ReadableStream<Uint8Array>; mimeType: string },
): Response {
  const headers = { 'content-type': out.mimeType, 'cache-control': 'no-store', 'accept-ranges': 'none' }
  if (c.req.method === 'HEAD') {
    void out.stream.cancel()
    return new Response(null, { headers })
  }
  return new Response(out.stream, { headers })
}

/** Whether a Range header asks for the whole file from byte 0 (or there is none). */
export const fromTheStart = (range: string | undefined) =>
  range === undefined || /^bytes=0-$/i.test(range.trim())
