import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Accounts } from '../../accounts/index.ts'
import { forbidden } from '../../lib/errors.ts'
import { localNetworks } from '../../lib/ip.ts'
import type { AppEnv, ClientInfo } from '../context.ts'
import { setSessionCookie } from '../session-cookie.ts'
import { errors, json, jsonBody, LoginResultSchema, Password, Username } from './schemas.ts'

/**
 * Why this client may not run the first-run setup, or null when it may. Until an admin exists,
 * whoever reaches the setup first owns the server, so by default only the household's own network
 * may: loopback and private addresses, judged after believing trusted proxies only.
 */
export function setupRefusal(client: ClientInfo, anyAddress: boolean): string | null {
  if (anyAddress) return null
  // A proxy we were not told to trust makes every visitor look local (often 127.0.0.1).
  if (client.untrustedForwarding) {
    return 'this request came through a proxy that is not in trustedProxies; set trustedProxies, or run `tonearm user add NAME --admin` on the server'
  }
  if (!localNetworks.has(client.address)) {
    return 'setup is only allowed from the local network; run `tonearm user add NAME --admin` on the server, or set setupFromAnyAddress'
  }
  return null
}

const status = createRoute({
  method: 'get',
  path: '/setup',
  tags: ['setup'],
  summary: 'Whether the first-run setup is still open, and open to this client',
  security: [],
  responses: {
    200: json(
      z
        .object({ needed: z.boolean(), allowedFromHere: z.boolean(), reason: z.string().nullable() })
        .openapi('SetupStatus'),
      'Setup status',
    ),
  },
})

const create = createRoute({
  method: 'post',
  path: '/setup',
  tags: ['setup'],
  summary: 'Create the first admin and sign in; only while no user exists, and only from the local network',
  description: 'Needs no credentials while no user exists; afterwards it needs a principal and answers 409.',
  security: [],
  request: { body: jsonBody(z.strictObject({ username: Username, password: Password })) },
  responses: {
    201: json(LoginResultSchema, 'The admin exists and is signed in'),
    ...errors(400, 401, 403, 409, 413, 415),
  },
})

export function setupRoutes(accounts: Accounts, opts: { anyAddress: boolean }) {
  return new OpenAPIHono<AppEnv>()
    .openapi(status, (c) => {
      const reason = setupRefusal(c.get('client'), opts.anyAddress)
      const needed = accounts.setup.needed()
      return c.json(
        { needed, allowedFromHere: needed && reason === null, reason: needed ? reason : null },
        200,
      )
    })
    .openapi(create, async (c) => {
      const client = c.get('client')
      const reason = setupRefusal(client, opts.anyAddress)
      if (reason && accounts.setup.needed()) throw forbidden(reason)
      const result = await accounts.setup.createFirstAdmin(c.req.valid('json'), {
        address: client.address,
        userAgent: c.req.header('user-agent'),
      })
      setSessionCookie(c, result.token, new Date(result.expiresAt))
      return c.json(result, 201)
    })
}
