import type { MiddlewareHandler } from 'hono'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export interface Metrics {
  registry: Registry
  httpDuration: Histogram<'method' | 'route' | 'status'>
  /** Open device-channel WebSockets. */
  socketConnections: Gauge
  /** Frames received on the device channel, by type ('malformed', 'unknown', 'flood' for the refused). */
  socketFrames: Counter<'type'>
  deviceCommands: Counter<'action' | 'outcome'>
  /** Silence between the source stopping and the target starting, from both devices' reports. */
  handoffGap: Histogram
}

// One registry per app (not prom-client's global one) so tests can run several apps in a process.
export function createMetrics(): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'tonearm_' })
  // Under Bun, v8.getHeapSpaceStatistics() walks the whole JavaScriptCore heap: 68 ms of the event
  // loop per scrape with a 100k-track library loaded, most of what /metrics cost. The heap totals
  // (process.memoryUsage) stay; a split by V8 heap space means little for JavaScriptCore anyway.
  if (process.versions.bun)
    for (const kind of ['total', 'used', 'available'])
      registry.removeSingleMetric(`tonearm_nodejs_heap_space_size_${kind}_bytes`)
  const httpDuration = new Histogram({
    name: 'tonearm_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  })
  const socketConnections = new Gauge({
    name: 'tonearm_ws_connections',
    help: 'Open device-channel WebSocket connections',
    registers: [registry],
  })
  const socketFrames = new Counter({
    name: 'tonearm_ws_frames_received_total',
    help: 'Device-channel frames received, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  })
  const deviceCommands = new Counter({
    name: 'tonearm_device_commands_total',
    help: 'Playback commands by action and outcome (ok, conflict, invalid, …)',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  })
  const handoffGap = new Histogram({
    name: 'tonearm_device_handoff_gap_seconds',
    help: 'Silence between the source device stopping and the target starting in a transfer',
    buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
    registers: [registry],
  })
  return { registry, httpDuration, socketConnections, socketFrames, deviceCommands, handoffGap }
}

// Labelled by route pattern, never by raw path, so ids in URLs cannot explode the series count.
export function measure(m: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const end = m.httpDuration.startTimer({ method: c.req.method })
    await next()
    end({ route: c.req.routePath || 'unmatched', status: String(c.res.status) })
  }
}
