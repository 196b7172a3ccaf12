import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Accounts } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { principalOf } from '../guard.ts'
import { clearSessionCookie, sessionCookie, setSessionCookie } from '../session-cookie.ts'
import { errors, json, jsonBody, LoginResultSchema, noContent, Scope, UserSchema } from './schemas.ts'

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in: sets the session cookie and returns the same secret as a bearer token',
  security: [],
  request: {
    body: jsonBody(
      z.strictObject({
        // Loose on purpose: any wrong name is a plain 401, never a hint about which names exist.
        username: z.string().min(1).max(256),
        password: z.string().min(1).max(1024),
      }),
    ),
  },
  responses: {
    200: json(LoginResultSchema, 'Signed in'),
    ...errors(400, 401, 403, 413, 415, 429),
  },
})

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'End the current session (cookie or bearer) and clear the cookie; harmless when not signed in',
  security: [],
  responses: { 204: noContent('Signed out'), ...errors(403) },
})

const me = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'Who the credentials belong to, with their effective rights; renews the session cookie',
  responses: {
    200: json(
      z
        .object({
          user: UserSchema,
          scopes: z.array(Scope),
          folderIds: z.array(z.number().int()).openapi({ description: 'music folders visible right now' }),
          credential: z.object({ kind: z.string(), id: z.number().int().nullable() }),
        })
        .openapi('Me'),
      'The signed-in user',
    ),
    ...errors(401),
  },
})

export function authRoutes(accounts: Accounts) {
  return new OpenAPIHono<AppEnv>()
    .openapi(login, async (c) => {
      const { username, password } = c.req.valid('json')
      const client = c.get('client')
      const result = await accounts.auth.login(username, password, {
        address: client.address,
        userAgent: c.req.header('user-agent'),
      })
      setSessionCookie(c, result.token, new Date(result.expiresAt))
      return c.json(result, 200)
    })
    .openapi(logout, (c) => {
      const principal = c.get('principal')
      if (principal) accounts.sessions.end(principal, { principal, address: c.get('client').address })
      clearSessionCookie(c)
      return c.body(null, 204)
    })
    .openapi(me, (c) => {
      const p = principalOf(c)
      const live = p.credential.id === null ? undefined : accounts.sessions.list(p).find((s) => s.current)
      // The player calls this at start; re-issuing the cookie keeps its lifetime in step with the
      // server-side sliding expiry, so daily use never ends in a surprise sign-out.
      if (c.get('authVia') === 'cookie' && live) {
        const cookie = sessionCookie(c)
        if (cookie) setSessionCookie(c, cookie, new Date(live.expiresAt))
      }
      return c.json(
        {
          user: accounts.users.get(p.userId, { principal: p }),
          scopes: p.scopes,
          folderIds: p.folderIds,
          credential: p.credential,
        },
        200,
      )
    })
}
