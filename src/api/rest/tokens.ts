import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Accounts, TOKEN_KINDS } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { actorOf, principalOf } from '../guard.ts'
import { errors, IdParams, json, jsonBody, noContent, Scope, SessionSchema, TokenSchema } from './schemas.ts'

// Tokens and sessions are always the caller's own: the user id comes from the credential, never
// from the request, so there is no parameter through which to ask for someone else's.

const createToken = createRoute({
  method: 'post',
  path: '/tokens',
  tags: ['tokens'],
  summary: 'Create an API token (or an OpenSubsonic API key); the secret is in this response only',
  description:
    'Scopes form a ladder: read (GET/HEAD), write (read + changes), admin (everything, admins only). A token never exceeds its creator: neither their role nor, when created with a token, that token’s scopes.',
  request: {
    body: jsonBody(
      z
        .strictObject({
          name: z.string().trim().min(1).max(100).openapi({ example: 'backup script' }),
          scopes: z.array(Scope).min(1).max(3),
          kind: z.enum(TOKEN_KINDS).optional().openapi({
            description: '`api` (default): for /api. `subsonic`: an OpenSubsonic API key, for /rest only',
          }),
          expiresInDays: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .optional()
            .openapi({ description: 'omit for no expiry' }),
        })
        .openapi('NewToken'),
    ),
  },
  responses: {
    201: json(
      z
        .object({
          token: TokenSchema,
          secret: z
            .string()
            .openapi({ description: 'send as `Authorization: Bearer <secret>`; shown only once' }),
        })
        .openapi('CreatedToken'),
      'Created',
    ),
    ...errors(400, 401, 403, 413, 415),
  },
})

const listTokens = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['tokens'],
  summary: 'Your tokens and API keys, without their secrets',
  responses: { 200: json(z.object({ items: z.array(TokenSchema) }), 'Tokens'), ...errors(401) },
})

const revokeToken = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  tags: ['tokens'],
  summary: 'Revoke one of your tokens; it stops working with the next request',
  request: { params: IdParams },
  responses: { 204: noContent('Revoked'), ...errors(400, 401, 403, 404) },
})

const listSessions = createRoute({
  method: 'get',
  path: '/sessions',
  tags: ['sessions'],
  summary: 'Your signed-in browsers and devices',
  responses: { 200: json(z.object({ items: z.array(SessionSchema) }), 'Sessions'), ...errors(401) },
})

const revokeSession = createRoute({
  method: 'delete',
  path: '/sessions/{id}',
  tags: ['sessions'],
  summary: 'Sign one of your sessions out',
  request: { params: IdParams },
  responses: { 204: noContent('Signed out'), ...errors(400, 401, 403, 404) },
})

export function tokenRoutes(accounts: Accounts) {
  return new OpenAPIHono<AppEnv>()
    .openapi(createToken, (c) =>
      c.json(accounts.tokens.create(principalOf(c), c.req.valid('json'), actorOf(c)), 201),
    )
    .openapi(listTokens, (c) => c.json({ items: accounts.tokens.list(principalOf(c)) }, 200))
    .openapi(revokeToken, (c) => {
      accounts.tokens.revoke(principalOf(c), Number(c.req.valid('param').id), actorOf(c))
      return c.body(null, 204)
    })
    .openapi(listSessions, (c) => c.json({ items: accounts.sessions.list(principalOf(c)) }, 200))
    .openapi(revokeSession, (c) => {
      accounts.sessions.revoke(principalOf(c), Number(c.req.valid('param').id), actorOf(c))
      return c.body(null, 204)
    })
}
