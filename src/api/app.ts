import { OpenAPIHono } from '@hono/zod-openapi'
import { requestId } from 'hono/request-id'
import type { Catalog } from '../catalog/index.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import { runtimeName } from '../platform/runtime.ts'
import type { AppEnv } from './context.ts'
import { type Metrics, measure } from './metrics.ts'
import { errorToResponse, problem } from './problem.ts'
import { catalogRoutes } from './rest/catalog.ts'
import { coverRoutes } from './rest/covers.ts'
import { healthRoutes } from './rest/health.ts'
import { validationHook } from './rest/router.ts'
import { scanRoutes } from './rest/scan.ts'

export interface AppDeps {
  version: string
  logger: Logger
  metrics: Metrics
  status: StatusBoard
  /** Browse, covers and scan routes; an app without it serves only the system routes. */
  catalog?: Catalog
  startedAt?: number
}

export function createApp(deps: AppDeps) {
  const startedAt = deps.startedAt ?? Date.now()
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

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

  if (deps.catalog) {
    app.route('/api', catalogRoutes(deps.catalog))
    app.route('/api', coverRoutes(deps.catalog))
    app.route('/api', scanRoutes(deps.catalog))
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
