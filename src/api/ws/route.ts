import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Accounts, Principal } from '../../accounts/index.ts'
import { busy, invalid } from '../../lib/errors.ts'
import type { AppEnv } from '../context.ts'
import { principalOf, requestSecret } from '../guard.ts'
import { problem } from '../problem.ts'
import { errors } from '../rest/schemas.ts'
import { SUBPROTOCOL } from './frames.ts'
import type { Sockets } from './sockets.ts'

const socket = createRoute({
  method: 'get',
  path: '/ws',
  tags: ['devices'],
  summary: 'The device channel: a WebSocket for playback sync, device hand-over and live updates',
  description: [
    'Upgrade to a WebSocket (subprotocol `tonearm.v1`). Credentials: the session cookie (browsers on',
    'this server; the `Origin` must be this server), `Authorization: Bearer <token>` (other clients),',
    'or, from a browser that holds a token, the subprotocol `tonearm.bearer.<token>` offered beside',
    '`tonearm.v1`. Frames are JSON objects with a `type`; the server starts with `hello`. The README',
    '("The device channel") lists every frame, error code and close code.',
  ].join(' '),
  responses: {
    101: { description: 'Switching Protocols: the connection is now the device channel' },
    426: {
      description: 'Not a WebSocket upgrade',
      content: { 'application/problem+json': { schema: z.object({ code: z.string(), detail: z.string() }) } },
    },
    ...errors(400, 401, 403, 429),
  },
})

export function socketRoutes(sockets: Sockets, accounts: Accounts) {
  return new OpenAPIHono<AppEnv>().openapi(socket, (c) => {
    const principal = principalOf(c)
    const upgrade = c.env?.upgrade
    if (!upgrade) {
      c.header('Upgrade', 'websocket')
      return problem(
        c,
        426,
        'upgrade_required',
        'this endpoint speaks WebSocket only: connect with a WebSocket client',
      )
    }
    const offered = (c.req.header('sec-websocket-protocol') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
    // A browser fails the handshake unless one offered protocol is echoed, and the token must never be.
    if (offered.length > 0 && !offered.includes(SUBPROTOCOL))
      throw invalid(`offer the ${SUBPROTOCOL} subprotocol (beside any tonearm.bearer.<token>)`)
    if (sockets.count(principal.userId) >= sockets.limits.connectionsPerUser)
      throw busy(`at most ${sockets.limits.connectionsPerUser} connections per account`, 30)
    const auth = { principal, refresh: refresher(c, accounts, principal), address: c.get('client').address }
    const accepted = upgrade((peer) => sockets.accept(peer, auth), {
      protocol: offered.length > 0 ? SUBPROTOCOL : undefined,
    })
    if (!accepted)
      throw invalid(
        'not a valid WebSocket upgrade (Sec-WebSocket-Key and Sec-WebSocket-Version: 13 are needed)',
      )
    // The runtime has already answered 101 and ignores this response; it exists because a handler
    // must return one, and 200 because Node's Response refuses a 1xx status.
    return c.body(null, 200 as never)
  })
}

// How a long-lived connection re-checks the credential it was opened with (at every heartbeat):
// a revoked session or token, or a deleted user, ends the connection.
function refresher(
  c: Context<AppEnv>,
  accounts: Accounts,
  principal: Principal,
): () => Principal | null | Promise<Principal | null> {
  const secret = requestSecret(c)
  if (secret) return () => accounts.auth.authenticate(secret)
  if (c.get('authVia') === 'proxy')
    return () =>
      accounts.auth.authenticateProxyUser(principal.username, { create: false, client: {} }).catch(() => null)
  return () => principal
}
