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
    expect(await js.text()).toContain('/api/auth/me')
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

  it('serves the service worker, the manifest and its icon by fixed names, revalidated on every load', async () => {
    const sw = await app.request('/sw.js')
    expect(sw.status).toBe(200)
    expect(sw.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    // A cached worker would keep an old shell alive; browsers check it on every navigation.
    expect(sw.headers.get('cache-control')).toBe('no-cache')
    const worker = await sw.text()
    // Its precache list names every file of the shell, so the app opens with the server down.
    const page = await (await app.request('/', { headers: html })).text()
    for (const asset of page.match(/\/chunk-[a-z0-9]+\.(js|css)/g) ?? []) expect(worker).toContain(asset)
    const manifest = await app.request('/manifest.webmanifest')
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json')
    expect(manifest.headers.get('cache-control')).toBe('no-cache')
    const body = (await manifest.json()) as { start_url: string; icons: { src: string }[] }
    expect(body.start_url).toBe('/')
    for (const icon of body.icons) expect((await app.request(icon.src)).status).toBe(200)
    expect(page).toContain('<link rel="manifest" href="/manifest.webmanifest">')
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
