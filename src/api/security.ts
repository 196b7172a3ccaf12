import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from './context.ts'
import { problem } from './problem.ts'

// Headers for every response. The CSP suits a player that serves its own scripts, styles and
// media from this origin: no third-party anything; media and workers may use blob: URLs (hls.js
// feeds MediaSource from blobs and may start its worker from one); inline code only with the
// per-request nonce, which the server-rendered pages (setup, docs) carry.
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'", NONCE],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
    // Same-origin referrers let the CSRF check fall back on Referer; nothing leaks to other sites.
    referrerPolicy: 'same-origin',
    // HSTS belongs to whoever terminates TLS; sent from a plain-http LAN server it could lock a
    // hostname to https that the household has no certificate for.
    strictTransportSecurity: false,
    // A route that needs another value says so itself (the signed media routes allow other origins).
    overwrite: false,
  })
}

/** CORS only for the configured origins; with none configured no CORS headers are sent at all. */
export function corsFor(origins: readonly string[]): MiddlewareHandler<AppEnv> | null {
  if (origins.length === 0) return null
  return cors({
    origin: [...origins],
    // Other origins authenticate with bearer tokens; cookies stay first-party.
    credentials: false,
    allowHeaders: ['Authorization', 'Content-Type'],
    allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposeHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  })
}

export function limitBody(kb: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: kb * 1024,
    onError: (c) => problem(c, 413, 'too_large', `the request body is larger than ${kb} KiB`),
  })
}
