import type { Principal } from '../accounts/index.ts'
import type { Logger } from '../lib/logger.ts'
import type { Upgrade } from '../platform/websocket.ts'

/** Who is on the other end, after believing (only) trusted proxies. Set for every request. */
export interface ClientInfo {
  /** The client's address: the socket peer, or from X-Forwarded-For when the peer is a trusted proxy. */
  address: string | undefined
  /** The socket peer itself. */
  peer: string | undefined
  /** True when the peer is in trustedProxies. */
  viaTrustedProxy: boolean
  /** Forwarding headers arrived from a peer we do not trust: the address may be a proxy's, not the client's. */
  untrustedForwarding: boolean
  /** The request reached us (or the trusted proxy) over https. */
  secure: boolean
  /** The host the browser asked for (X-Forwarded-Host from a trusted proxy, else Host). */
  host: string | undefined
}

/** How the principal authenticated: cookie and proxy-header auth ride along with cross-site requests, bearer does not. */
export type AuthVia = 'bearer' | 'cookie' | 'proxy'

// What every request carries, set by the middleware in app.ts.
export type AppEnv = {
  /** Passed by src/platform/serve.ts as the fetch handler's second argument; `upgrade` on WebSocket upgrades. */
  Bindings: { remoteAddress?: string; upgrade?: Upgrade }
  Variables: {
    requestId: string
    log: Logger
    client: ClientInfo
    /** Present once the auth middleware found valid credentials; required on all non-public /api routes. */
    principal?: Principal
    authVia?: AuthVia
    /** Set by hono/secure-headers; inline scripts and styles of server-rendered pages must carry it. */
    secureHeadersNonce?: string
  }
}
