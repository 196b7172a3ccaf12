import { OpenAPIHono } from '@hono/zod-openapi'
import { requestId } from 'hono/request-id'
import type { Events } from '../events/index.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import { runtimeName } from '../platform/runtime.ts'
import type { AppEnv } from './context.ts'
import { type Metrics, measure } from './metrics.ts'
import { errorToResponse, problem } from './problem.ts'
import { eventRoutes } from './rest/events.ts'
import { healthRoutes } from './rest/health.ts'
import { scrobblerRoutes } from './rest/scrobblers.ts'
import { statsRoutes } from './rest/stats.ts'

export interface AppDeps {
  version: string
  logger: Logger
  metrics: Metrics
  status: StatusBoard
  startedAt?: number
  /** Listening events, statistics and scrobbling; absent in apps built for other tests. */
  events?: Events
}

export function createApp(deps: AppDeps) {
  const startedAt = deps.startedAt ?? Date.now()
  const app = new OpenAPIHono<AppEnv>({
    // Schema failures become a 400 naming the first bad field, in the same problem shape as every error.
    defaultHook: (result, c) => {
      if (result.success) return
      const issue = result.error.issues[0]
      const field = issue?.path.join('.') || '(body)'
      return problem(c, 400, 'invalid', `${field}: ${issue?.message ?? 'invalid'}`, { field })
    },
  })

  app.use(requestId({ headerName: 'X-Request-Id' }))
  app.use(async (c, next) => {
    const log = deps.logger.child({ reqId: c.get('requestId') })
    c.set('log', log)
    const t0 = performance.now()
    await next()
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: +(performance.now() - t0).toFixed(1),
      },
      'request',
    )
  })
  app.use(measure(deps.metrics))
  app.onError(errorToResponse)
  app.notFound((c) => problem(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))

  app.route(
    '/api',
    healthRoutes(() => ({
      status: deps.status.degraded() ? 'degraded' : 'ok',
      version: deps.version,
      runtime: runtimeName,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components: deps.status.snapshot(),
    })),
  )

  if (deps.events) {
    app.route('/api', eventRoutes(deps.events))
    app.route('/api', statsRoutes(deps.events))
    app.route('/api', scrobblerRoutes(deps.events))
  }

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Tonearm API',
      version: deps.version,
      description: 'The HTTP API of a Tonearm music server',
    },
  })

  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  )

  return app
}

export type App = ReturnType<typeof createApp>
