import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { BatchSchema, batchRejected, type Events, fieldErrors, type LoggedEvent } from '../../events/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { readableUser } from '../principal.ts'
import { problem } from '../problem.ts'
import { ProblemResponses } from './problems.ts'

const MAX_BODY = 2 * 1024 * 1024

const IngestResult = z
  .object({
    accepted: z.number().int().openapi({ description: 'Events appended to the log' }),
    duplicates: z
      .number()
      .int()
      .openapi({ description: 'Events whose id this user had already sent (ignored)' }),
    head: z.number().int().openapi({ description: 'The offset of the newest event in the log' }),
  })
  .openapi('IngestResult')

const ingestRoute = createRoute({
  method: 'post',
  path: '/events',
  tags: ['events'],
  summary: 'Append a batch of listening events',
  description:
    'All or nothing: if any event is invalid, the response is a 400 problem whose `errors` list every bad field by its path (`events[3].heardMs`) and nothing is stored. Idempotent: an event whose `eventId` this user already sent is accepted and ignored, so a client may retry a batch freely.',
  middleware: [
    bodyLimit({
      maxSize: MAX_BODY,
      onError: (c) => problem(c, 413, 'too_large', `a batch may be at most ${MAX_BODY} bytes; split it`),
    }),
  ] as const,
  request: { body: { required: true, content: { 'application/json': { schema: BatchSchema } } } },
  responses: {
    200: { description: 'Stored', content: { 'application/json': { schema: IngestResult } } },
    ...ProblemResponses,
  },
})

const streamRoute = createRoute({
  method: 'get',
  path: '/events/stream',
  tags: ['events'],
  summary: 'Stream the event log as NDJSON, from an offset, then live',
  description:
    'One JSON event per line, each with its `offset`; resume after a disconnect with `from=<last offset seen>`. With `follow=true` (the default) the response stays open and new events arrive as they are appended; an empty line is sent every 15 s of silence as a heartbeat (skip blank lines). Users see their own events; admins see everyone’s unless `userId` is given. Events compacted away (older than the retention) are no longer in the log: the stream starts after the offset in the `X-Compacted-Through` header.',
  request: {
    query: z.object({
      from: z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .openapi({ description: 'Stream events after this offset' }),
      follow: z
        .enum(['true', 'false'])
        .default('true')
        .openapi({ description: 'Keep the stream open for new events' }),
      userId: z.coerce
        .number()
        .int()
        .positive()
        .optional()
        .openapi({ description: 'Admins: only this user' }),
    }),
  },
  responses: {
    200: {
      description: 'Newline-delimited JSON events',
      headers: z.object({ 'x-compacted-through': z.string() }),
      // A plain OpenAPI schema, not zod: the body is a stream, not one validated value.
      content: {
        'application/x-ndjson': { schema: { type: 'string', description: 'One JSON event per line' } },
      },
    },
    ...ProblemResponses,
  },
})

// The offset first, so a human reading the stream sees where to resume.
const line = ({ offset, ...rest }: LoggedEvent) => JSON.stringify({ offset, ...rest })

export function eventRoutes(events: Events) {
  return new OpenAPIHono<AppEnv>()
    .openapi(
      ingestRoute,
      (c) => {
        const { userId } = principalOf(c)
        const { source, events: batch } = c.req.valid('json')
        return c.json(events.ingest(userId, batch, source), 200)
      },
      // Every problem of the batch, not just the first, each named by its path.
      (result) => {
        if (!result.success) throw batchRejected(fieldErrors(result.error.issues))
        return undefined
      },
    )
    .openapi(streamRoute, (c) => {
      const principal = principalOf(c)
      const q = c.req.valid('query')
      const compacted = events.watermark()
      const abort = new AbortController()
      c.req.raw.signal.addEventListener('abort', () => abort.abort())
      const batches = events.tail({
        after: Math.max(q.from, compacted),
        userId: readableUser(principal, q.userId),
        follow: q.follow === 'true',
        signal: abort.signal,
      })
      const encoder = new TextEncoder()
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await batches.next()
          if (next.done) return controller.close()
          controller.enqueue(
            encoder.encode(next.value.length === 0 ? '\n' : `${next.value.map(line).join('\n')}\n`),
          )
        },
        async cancel() {
          abort.abort()
          await batches.return(undefined)
        },
      })
      const res = c.body(body, 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'cache-control': 'no-store',
        // Reverse proxies must pass lines on as they come, not buffer the response.
        'x-accel-buffering': 'no',
        'x-compacted-through': String(compacted),
      })
      // zod-openapi types only JSON and text bodies (application/x-ndjson maps to `never`);
      // the stream is documented above and is a plain Response at run time.
      return res as never
    })
}
