import { Counter } from 'prom-client'
import type { Accounts } from '../../accounts/index.ts'
import type { Logger } from '../../lib/logger.ts'
import { wholeFileBody } from '../../platform/files.ts'
import { INIT_SEGMENT, type ServedFile, type Streaming } from '../../stream/index.ts'
import type { Metrics } from '../metrics.ts'
import { callerOf, MEDIA_HEADERS, requestIdOf } from './media-pipeline.ts'
import { fileAnswer, fileHeaders } from './send-file.ts'

/**
 * Cached segments and inits, answered before Hono sees the request. Two hundred players (or a
 * proxy) fetching cached segments are a file-serving benchmark, and there routing, the middleware
 * chain, zod validation of five path parameters and a per-request logger child were half of
 * the server's work (scripts/bench/stream.bench.ts measures it against nginx). Here one
 * precompiled pattern takes the path apart, and the stream domain answers from what the full path
 * learnt within the last second (src/stream/hot.ts) while checking signature, expiry, caller,
 * user, folder and bitrate cap again. Everything else — a first request, a refusal, an
 * unsatisfiable range, anything unusual — returns undefined and takes the full path, which
 * answers it exactly as before, so both paths give the same answers by construction.
 */
export type HotMedia = (req: Request) => Response | undefined

/** The route's own parameter patterns (media.ts), in one expression. */
const HOT_PATH =
  /^\/api\/media\/([^/]{1,100})\/tracks\/([1-9][0-9]{0,14})\/hls\/([A-Za-z0-9_-]{12})\/([a-z0-9]{1,10}-[0-9]{1,4})\/(init\.mp4|(?:0|[1-9][0-9]{0,5})\.m4s)$/

export function hotMedia(deps: {
  streaming: Streaming
  accounts: Accounts
  metrics: Metrics
  logger: Logger
}): HotMedia {
  const { streaming, accounts, logger } = deps
  const count = hotCounts(deps.metrics)
  const prepared = preparedAnswers()
  return (req) => {
    const method = req.method
    if (method !== 'GET' && method !== 'HEAD') return undefined
    const path = pathOf(req.url)
    const m = path === undefined ? null : HOT_PATH.exec(path)
    if (!m) return undefined
    const started = performance.now()
    const h = req.headers
    const authorization = h.get('authorization')
    const cookie = h.get('cookie')
    const caller =
      authorization === null && cookie === null ? undefined : callerOf(accounts, authorization, cookie)
    const file = streaming.hotSegment(
      m[1] as string,
      Number(m[2]),
      m[3] as string,
      m[4] as string,
      m[5] as string,
      caller?.userId,
    )
    if (!file) return undefined
    const reqId = requestIdOf(h.get('x-request-id'))
    const range = h.get('range')
    const ifNoneMatch = h.get('if-none-match')
    const ifModifiedSince = h.get('if-modified-since')
    let res: Response | { reason: string }
    if (range === null && ifNoneMatch === null && ifModifiedSince === null) {
      // The common case, a plain GET: headers and body prepared once per file (preparedAnswers).
      const p = prepared(file)
      const headers = new Headers(p.headers)
      headers.set('x-request-id', reqId)
      res = new Response(method === 'HEAD' ? null : p.body(), { headers })
    } else {
      res = fileAnswer(
        {
          range: range ?? undefined,
          ifRange: h.get('if-range') ?? undefined,
          ifNoneMatch: ifNoneMatch ?? undefined,
          ifModifiedSince: ifModifiedSince ?? undefined,
        },
        method === 'HEAD',
        file,
        { ...MEDIA_HEADERS, 'x-request-id': reqId },
      )
      // An unsatisfiable range: the full path writes its problem document.
      if (!(res instanceof Response)) return undefined
    }
    count(m[5] as string, method, res.status)
    if (logger.isLevelEnabled('debug')) {
      const ms = +(performance.now() - started).toFixed(1)
      logger.child({ reqId }).debug({ method, path, status: res.status, ms }, 'media request')
    }
    return res
  }
}

/**
 * Hot answers counted in plain numbers and handed to Prometheus when it scrapes: a labelled
 * histogram observation per request (as the full path records) was 9% of the server's CPU
 * samples under load, and the duration it would record is the microseconds before the runtime
 * sends the file.
 */
function hotCounts(metrics: Metrics) {
  const counts = new Map<string, { labels: Record<'file' | 'method' | 'status', string>; n: number }>()
  new Counter({
    name: 'tonearm_media_hot_responses_total',
    help: 'Cached segments and inits answered by the media hot path (not in the HTTP duration histogram)',
    labelNames: ['file', 'method', 'status'] as const,
    registers: [metrics.registry],
    collect() {
      this.reset()
      for (const { labels, n } of counts.values()) this.inc(labels, n)
    },
  })
  return (name: string, method: string, status: number) => {
    const file = name === INIT_SEGMENT ? 'init' : 'segment'
    const key = `${file} ${method} ${status}`
    const c = counts.get(key)
    if (c) c.n++
    else counts.set(key, { labels: { file, method, status: String(status) }, n: 1 })
  }
}

/**
 * What a whole-file answer for a remembered file needs besides its request id, made once per
 * file. The stream domain hands out the same ServedFile for as long as it remembers it, so its
 * identity is the key; copying a header template into each response cost a fifth of building
 * the headers from an object.
 */
function preparedAnswers() {
  const known = new WeakMap<ServedFile, { headers: Headers; body: () => BodyInit | null }>()
  return (file: ServedFile) => {
    let p = known.get(file)
    if (!p) {
      const headers = new Headers(fileHeaders(file, MEDIA_HEADERS))
      headers.set('content-length', String(file.size))
      p = { headers, body: wholeFileBody(file.path, file.size) }
      known.set(file, p)
    }
    return p
  }
}

/** The path of an absolute request URL, or undefined when it has a query (the full path copes). */
function pathOf(url: string): string | undefined {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0 || url.indexOf('?', start) >= 0) return undefined
  return url.slice(start)
}
