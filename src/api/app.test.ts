import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from './testing.ts'

let t: TestApp
let admin: string
beforeAll(async () => {
  t = await testApp()
  admin = (await t.user('root', 'admin')).token
})
afterAll(() => t.close())

describe('app', () => {
  it('GET /api/health answers with status and version, without credentials', async () => {
    const res = await t.call('GET', '/api/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    const body = (await res.json()) as { status: string; version: string }
    expect(body.status).toBe('ok')
    expect(body.version).toBe('9.9.9')
  })

  it('answers unknown routes with problem+json once signed in, and 401 before', async () => {
    const anonymous = await t.call('GET', '/api/nope')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tonearm"')
    const res = await t.call('GET', '/api/nope', { token: admin, headers: { 'x-request-id': 'abc' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ status: 404, code: 'not_found', instance: '/api/nope', requestId: 'abc' })
  })

  it('publishes the OpenAPI document and Prometheus metrics', async () => {
    const doc = (await (await t.call('GET', '/api/openapi.json')).json()) as {
      openapi: string
      paths: Record<string, unknown>
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/api/health')
    const metrics = await (await t.call('GET', '/metrics')).text()
    expect(metrics).toContain(
      'tonearm_http_request_duration_seconds_count{method="GET",route="/api/health",status="200"}',
    )
    // The process's memory, but not V8's per-space heap split: under Bun it walks the whole heap.
    expect(metrics).toContain('tonearm_nodejs_heap_size_used_bytes')
    expect(metrics).not.toContain('heap_space_size')
  })

  it('sends security headers: a same-origin CSP with a per-response nonce, nosniff, a referrer policy', async () => {
    const a = await t.call('GET', '/api/docs')
    const b = await t.call('GET', '/api/docs')
    const csp = a.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).not.toBe(b.headers.get('content-security-policy'))
    expect(a.headers.get('x-content-type-options')).toBe('nosniff')
    expect(a.headers.get('referrer-policy')).toBe('same-origin')
    expect(a.headers.get('strict-transport-security')).toBeNull()
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(await a.text()).toContain(`<style nonce="${nonce}">`)
  })

  it('renders the docs page from the document: every operation is on it', async () => {
    const doc = (await (await t.call('GET', '/api/openapi.json')).json()) as { paths: Record<string, object> }
    const html = await (await t.call('GET', '/api/docs')).text()
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) expect(html).toContain(`id="${method}-${path}"`)
    }
    expect(html).not.toContain('<script')
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/)
  })
})
