import type { MiddlewareHandler } from 'hono'
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client'

export interface Metrics {
  registry: Registry
  httpDuration: Histogram<'method' | 'route' | 'status'>
}

// One registry per app (not prom-client's global one) so tests can run several apps in a process.
export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'tonearm_' })
  const httpDuration = new Histogram({
    name: 'tonearm_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  return { registry, httpDuration }
}

// Labelled by route pattern, never by raw path, so ids in URLs cannot explode the series count.
export function measure(m: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const end = m.httpDuration.startTimer({ method: c.req.method })
    await next()
    end({ route: c.req.routePath || 'unmatched', status: String(c.res.status) })
  }
}
