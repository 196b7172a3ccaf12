import { createRoute, z } from '@hono/zod-openapi'
import type { Catalog } from '../../catalog/index.ts'
import { invalid } from '../../lib/errors.ts'
import { requireAdmin } from '../guard.ts'
import { json, PageQuery, problemResponses } from './catalog-schemas.ts'
import { createRouter } from './router.ts'

const Counts = {
  total: z.number().openapi({ description: 'Audio files found' }),
  done: z.number(),
  added: z.number(),
  updated: z.number(),
  removed: z.number(),
  unchanged: z.number(),
  problems: z.number(),
}

const ProgressSchema = z
  .object({
    scanId: z.number(),
    trigger: z.string(),
    full: z.boolean(),
    phase: z.enum(['counting', 'scanning', 'sweeping']),
    startedAt: z.number().openapi({ description: 'Epoch milliseconds' }),
    filesPerSecond: z.number(),
    ...Counts,
  })
  .openapi('ScanProgress')

const SummarySchema = z
  .object({
    scanId: z.number(),
    trigger: z.string(),
    full: z.boolean(),
    status: z.enum(['done', 'failed', 'interrupted']),
    startedAt: z.number(),
    finishedAt: z.number(),
    durationMs: z.number(),
    filesPerSecond: z.number(),
    unreachable: z
      .array(z.string())
      .openapi({ description: 'Music folders that could not be reached (left as they were)' }),
    error: z.string().optional(),
    ...Counts,
  })
  .openapi('ScanSummary')

const StatusSchema = z
  .object({
    state: z
      .enum(['idle', 'waiting', 'running'])
      .openapi({ description: '`waiting`: another process (tonearm scan) is scanning' }),
    progress: ProgressSchema.nullable(),
    queued: z.boolean().openapi({ description: 'Another scan follows the running one' }),
    lastScan: SummarySchema.nullable(),
  })
  .openapi('ScanStatus')

const ProblemItem = z
  .object({
    id: z.number(),
    folderId: z.number(),
    path: z.string().openapi({ description: 'Relative to its music folder' }),
    reason: z.enum(['empty', 'unsupported', 'truncated', 'corrupt', 'no_audio', 'timeout', 'unreadable']),
    message: z.string(),
    size: z.number(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi('ScanProblem')

const ScanRequest = z.strictObject({ full: z.boolean().optional() }).openapi('ScanRequest')

const getStatus = createRoute({
  method: 'get',
  path: '/scan',
  tags: ['scan'],
  summary: 'Whether a scan is running, its live progress, and the last scan',
  responses: { 200: json(StatusSchema, 'Scanner status') },
})

const start = createRoute({
  method: 'post',
  path: '/scan',
  tags: ['scan'],
  summary: 'Start a scan (queued behind a running one); `full` re-reads unchanged files too (admins)',
  middleware: [requireAdmin] as const,
  request: {
    body: {
      required: false,
      content: {
        'application/json': { schema: ScanRequest },
      },
    },
  },
  responses: { 202: json(StatusSchema, 'Accepted; poll GET /api/scan'), 400: problemResponses[400] },
})

const problems = createRoute({
  method: 'get',
  path: '/scan/problems',
  tags: ['scan'],
  summary: 'Files found but not cataloged, with the reason (admins)',
  middleware: [requireAdmin] as const,
  request: { query: PageQuery.extend({ reason: ProblemItem.shape.reason.optional() }) },
  responses: {
    200: json(
      z.object({ items: z.array(ProblemItem), nextCursor: z.string().nullable() }).openapi('ScanProblemPage'),
      'One page',
    ),
    400: problemResponses[400],
  },
})

export function scanRoutes(catalog: Catalog) {
  return createRouter()
    .openapi(getStatus, (c) => c.json(catalog.scanner.status(), 200))
    .openapi(start, async (c) => {
      // An empty body means the defaults. zod-openapi skips an optional body that does not parse,
      // so a body that is there is parsed and checked here, and a broken one is a 400.
      const text = await c.req.text()
      let body: z.infer<typeof ScanRequest> = {}
      if (text.trim() !== '') {
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          throw invalid('(body): is not valid JSON', { field: '(body)' })
        }
        const checked = ScanRequest.safeParse(parsed)
        if (!checked.success) {
          const issue = checked.error.issues[0]
          const field = issue?.path.join('.') || '(body)'
          throw invalid(`${field}: ${issue?.message ?? 'invalid'}`, { field })
        }
        body = checked.data
      }
      void catalog.scanner.scan({ full: body.full === true, trigger: 'api' })
      return c.json(catalog.scanner.status(), 202)
    })
    .openapi(problems, (c) => c.json(catalog.listProblems(c.req.valid('query')), 200))
}
