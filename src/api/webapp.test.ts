import { describe, expect, it } from 'bun:test'
import { gunzipSync } from 'node:zlib'
import { loadWebAssets } from '../webapp/index.ts'
import { testApp } from './testing.ts'

const { app } = await testApp({}, { webAssets: await loadWebAssets() })
const html = { accept: 'text/html,application/xhtml+xml' }

describe('web app', () => {
  it('serves index.html at / without long-term caching, and its hashed assets forever', async () => {
    const res = await app.request('/', { headers: html })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const page = await res.text()
    const script = page.match(/src="\.?(\/[^"]+\.js)"/)?.[1]
    expect(script).toBeDefined()
    const js = await app.request(script as string)
    expect(js.status).toBe(200)
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await js.text()).toContain('/api/health')
  })

  it('answers revalidation with 304 and compresses for clients that accept gzip', async () => {
    const first = await app.request('/', { headers: { ...html, 'accept-encoding': 'gzip, br' } })
    const etag = first.headers.get('etag') as string
    expect(first.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(new Uint8Array(await first.arrayBuffer())).toString()).toContain(
      '<title>Tonearm</title>',
    )
    const again = await app.request('/', { headers: { ...html, 'if-none-match': etag } })
    expect(again.status).toBe(304)
  })

  it('falls back to the app for page routes, but never for the API', async () => {
    expect((await app.request('/albums/42', { headers: html })).status).toBe(200)
    const api = await app.request('/api/nope', { headers: html })
    // The API answers for itself (here: the guard asks for credentials), never with the app's page.
    expect(api.status).toBe(401)
    expect(api.headers.get('content-type')).toBe('application/problem+json')
    expect((await app.request('/nope.js')).status).toBe(404)
  })
})
