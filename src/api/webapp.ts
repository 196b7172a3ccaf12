import { Hono } from 'hono'
import type { WebAsset } from '../webapp/index.ts'
import type { AppEnv } from './context.ts'

function send(c: { req: { header(n: string): string | undefined } }, asset: WebAsset): Response {
  const headers = new Headers({
    'content-type': asset.type,
    etag: asset.etag,
    'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
  })
  const inm = c.req.header('if-none-match')
  if (inm?.split(',').some((t) => t.trim() === asset.etag))
    return new Response(null, { status: 304, headers })
  if (asset.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    headers.set('content-encoding', 'gzip')
    return new Response(asset.gzip, { headers })
  }
  return new Response(asset.body, { headers })
}

// Serves the bundled web app: hashed files by name, and index.html for `/` and for any other
// page path a browser asks for (client-side routes), but never for /api, /rest or /metrics.
export function webappRoutes(assets: Map<string, WebAsset>) {
  const app = new Hono<AppEnv>()
  const index = assets.get('/index.html')
  app.get('*', async (c, next) => {
    const asset = assets.get(c.req.path)
    if (asset) return send(c, asset)
    const isPage = (c.req.header('accept') ?? '').includes('text/html')
    if (index && isPage && !/^\/(api|rest|metrics)(\/|$)/.test(c.req.path)) return send(c, index)
    return next()
  })
  return app
}
