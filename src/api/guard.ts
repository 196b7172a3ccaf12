import type { Context, MiddlewareHandler } from 'hono'
import {
  type Accounts,
  type Actor,
  hasScope,
  isAdmin,
  type Principal,
  type Scope,
} from '../accounts/index.ts'
import { forbidden, unauthorized } from '../lib/errors.ts'
import type { AppEnv } from './context.ts'
import { sessionCookie } from './session-cookie.ts'

export interface GuardOptions {
  accounts: Accounts
  /** Lower-cased header a trusted SSO proxy puts the user name in; '' turns it off. */
  authHeader: string
  authHeaderCreateUsers: boolean
  /** Origins allowed besides our own (the CORS list); cookie writes from them pass the CSRF check. */
  allowedOrigins: readonly string[]
}

/**
 * The /api routes anyone may call. Everything else needs a principal — including routes other
 * branches add later, which are protected without doing anything. Each of these declares
 * `security: []` in its OpenAPI definition; a test keeps the two lists equal.
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /api/docs',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/setup',
  // Signed media URLs: the signature in the path is the credential (checked by the stream
  // domain), so native players, <audio>, hls.js workers and caching proxies need no cookie.
  'GET /api/media/{token}/tracks/{id}/master.m3u8',
  'GET /api/media/{token}/tracks/{id}/hls/{version}/{rung}/{file}',
  'GET /api/media/{token}/tracks/{id}/file/{format}',
  // A share's media source: the unguessable share id is the credential; the route signs media
  // URLs for the share's owner only while the share is active (src/shares).
  'GET /api/shares/{id}/tracks/{trackId}',
])
/** Public only while no user exists; afterwards it needs a principal like everything else. */
export const SETUP_ROUTE = 'POST /api/setup'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * POSTs that only read: starting playback issues signed URLs and warms the audio cache but
 * changes nothing a user owns, so a read-only token (a player, a script) may call them.
 */
export const READ_POSTS: ReadonlySet<string> = new Set([
  'POST /api/tracks/{id}/play',
  'POST /api/tracks/{id}/prefetch',
])

/** Matches "METHOD /path" against route templates whose `{param}`s stand for one path segment. */
function routeMatcher(templates: ReadonlySet<string>): (route: string) => boolean {
  const exact = new Set([...templates].filter((t) => !t.includes('{')))
  const patterns = [...templates]
    .filter((t) => t.includes('{'))
    .map((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`))
  return (route) => exact.has(route) || patterns.some((p) => p.test(route))
}
const isPublicRoute = routeMatcher(PUBLIC_ROUTES)
const isReadPost = routeMatcher(READ_POSTS)

export function authenticate(opts: GuardOptions): MiddlewareHandler<AppEnv> {
  const { accounts } = opts
  return async (c, next) => {
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method
    const route = `${method} ${c.req.path}`
    const isPublic = isPublicRoute(route) || (route === SETUP_ROUTE && accounts.setup.needed())

    const bearer = bearerToken(c)
    let principal: Principal | null = null
    if (bearer !== undefined) {
      principal = accounts.auth.authenticate(bearer)
      c.set('authVia', 'bearer')
      // A wrong bearer token is an error even where none is needed: a script should learn at once
      // that its token was revoked, not get anonymous answers.
      if (!principal && !isPublic) return deny(c, 'the bearer token is invalid, expired or revoked')
    } else {
      const cookie = sessionCookie(c)
      if (cookie) {
        principal = accounts.auth.authenticate(cookie)
        c.set('authVia', 'cookie')
      }
      if (!principal && opts.authHeader && c.get('client').viaTrustedProxy) {
        const name = c.req.header(opts.authHeader)?.trim()
        if (name) {
          principal = await accounts.auth.authenticateProxyUser(name, {
            create: opts.authHeaderCreateUsers,
            client: { address: c.get('client').address },
          })
          c.set('authVia', 'proxy')
        }
      }
    }
    if (principal) c.set('principal', principal)
    checkCsrf(c, opts.allowedOrigins)
    if (isPublic) return next()
    if (!principal) return deny(c, 'sign in first: send a bearer token or the session cookie')

    const needed: Scope = SAFE_METHODS.has(c.req.method) || isReadPost(route) ? 'read' : 'write'
    if (!hasScope(principal, needed))
      throw forbidden(`this token lacks the ${needed} scope needed for ${c.req.method}`)
    return next()
  }
}

function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization')
  if (header === undefined) return isWebSocketUpgrade(c) ? subprotocolToken(c) : undefined
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header)
  // Present but unusable (Basic, empty, junk) counts as a wrong token rather than no token.
  return m ? (m[1] as string) : ''
}

/** Browsers cannot set headers on a WebSocket; they offer the token as a subprotocol instead. */
export const BEARER_SUBPROTOCOL = 'tonearm.bearer.'

export const isWebSocketUpgrade = (c: Context<AppEnv>): boolean =>
  c.req.header('upgrade')?.toLowerCase() === 'websocket'

// `new WebSocket(url, ['tonearm.v1', 'tonearm.bearer.<token>'])`: unlike a ?token= query, the
// subprotocol header stays out of access logs, proxy logs and browser history.
function subprotocolToken(c: Context<AppEnv>): string | undefined {
  const offered = c.req.header('sec-websocket-protocol')?.split(',') ?? []
  const token = offered.map((p) => p.trim()).find((p) => p.startsWith(BEARER_SUBPROTOCOL))
  return token === undefined ? undefined : token.slice(BEARER_SUBPROTOCOL.length)
}

/** The session or token secret this request authenticated with, so a long-lived connection can re-check it. */
export function requestSecret(c: Context<AppEnv>): string | undefined {
  const via = c.get('authVia')
  if (via === 'bearer') return bearerToken(c) || undefined
  if (via === 'cookie') return sessionCookie(c)
  return undefined
}

function deny(c: Context<AppEnv>, message: string): never {
  c.header('WWW-Authenticate', 'Bearer realm="tonearm"')
  throw unauthorized(message)
}

// Browsers attach cookies (and an SSO proxy its header) to requests any web page triggers, so
// writes authenticated that way must show they come from our own pages: the Origin (or, failing
// that, the Referer) must name the host the browser asked for. Bearer tokens are never attached
// automatically, so they are exempt. A foreign Origin is refused on any write that is not bearer-
// authenticated, which also stops a hostile page from signing a visitor in to its own account.
// A WebSocket upgrade is a GET, but the same-origin policy does not cover WebSockets: any page can
// open one with the visitor's cookie (cross-site WebSocket hijacking), so upgrades count as writes.
function checkCsrf(c: Context<AppEnv>, allowedOrigins: readonly string[]): void {
  const safe = SAFE_METHODS.has(c.req.method) && !isWebSocketUpgrade(c)
  if (safe || c.get('authVia') === 'bearer') return
  const origin = c.req.header('origin')
  const referer = c.req.header('referer')
  const claimed = origin ?? originOf(referer)
  const host = c.get('client').host?.toLowerCase()
  const ok = claimed !== undefined && (allowedOrigins.includes(claimed) || hostOf(claimed) === host)
  if (ok) return
  const cookieLike = c.get('principal') !== undefined
  if (claimed === undefined && !cookieLike) return
  throw forbidden(
    claimed === undefined
      ? 'cross-site request check failed: a cookie-authenticated write needs an Origin or Referer header'
      : `cross-site request check failed: origin ${claimed.slice(0, 100)} is not this server`,
  )
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).origin
  } catch {
    return 'invalid'
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** For routes only admins may use: the admin role and, for tokens, the admin scope. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const p = c.get('principal')
  if (!p) throw unauthorized()
  if (!isAdmin(p))
    throw forbidden(p.role === 'admin' ? 'this token lacks the admin scope' : 'only an admin may do this')
  await next()
}

/** For routes that need more than their method implies (e.g. a GET that reveals secrets). */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal')
    if (!p) throw unauthorized()
    if (!hasScope(p, scope)) throw forbidden(`this token lacks the ${scope} scope`)
    await next()
  }
}

/** The principal of a non-public route (the middleware guarantees it). */
export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal')
  if (!p) throw unauthorized()
  return p
}

/** The principal and address a domain call is made on behalf of, for its checks and the audit log. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { principal: c.get('principal'), address: c.get('client').address }
}
