import { describe, expect, it } from 'bun:test'
import { createLogger } from '../lib/logger.ts'
import { createStatusBoard } from '../lib/status.ts'
import { createApp } from './app.ts'
import { createMetrics } from './metrics.ts'

const status = createStatusBoard()
const app = createApp({ version: '9.9.9', logger: createLogger('silent'), metrics: createMetrics(), status })

describe('app', () => {
  it('GET /api/health answers with status and version', async () => {
    status.set('database', { status: 'ok' })
    const res = await app.request('http://localhost/api/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    const body = (await res.json()) as { status: string; version: string; components: object }
    expect(body.status).toBe('ok')
    expect(body.version).toBe('9.9.9')
    expect(body.components).toEqual({ database: { status: 'ok' } })
  })

  it('reports degraded when a component failed', async () => {
    status.set('audio', { status: 'failed', reason: 'wasm did not load' })
    const body = (await (await app.request('http://localhost/api/health')).json()) as { status: string }
    expect(body.status).toBe('degraded')
    status.set('audio', { status: 'ok' })
  })

  it('answers unknown routes with problem+json', async () => {
    const res = await app.request('http://localhost/api/nope', { headers: { 'x-request-id': 'abc' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ status: 404, code: 'not_found', instance: '/api/nope', requestId: 'abc' })
  })

  it('publishes the OpenAPI document and Prometheus metrics', async () => {
    const doc = (await (await app.request('http://localhost/api/openapi.json')).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/api/health')
    const metrics = await (await app.request('http://localhost/metrics')).text()
    expect(metrics).toContain(
      'tonearm_http_request_duration_seconds_count{method="GET",route="/api/health",status="200"}',
    )
  })
})
