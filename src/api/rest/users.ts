import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Accounts, Actor } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { actorOf, principalOf, requireAdmin } from '../guard.ts'
import {
  errors,
  FolderGrant,
  IdParams,
  json,
  jsonBody,
  noContent,
  Password,
  Role,
  Username,
  UserSchema,
} from './schemas.ts'

const Settings = {
  folders: FolderGrant.optional(),
  maxBitrate: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .optional()
    .openapi({ description: 'kbps; 0 means no limit' }),
  canDownload: z.boolean().optional(),
  canShare: z.boolean().optional(),
}

const list = createRoute({
  method: 'get',
  path: '/users',
  tags: ['users'],
  summary: 'All users (admin)',
  middleware: [requireAdmin] as const,
  responses: { 200: json(z.object({ items: z.array(UserSchema) }), 'Users'), ...errors(401, 403) },
})

const create = createRoute({
  method: 'post',
  path: '/users',
  tags: ['users'],
  summary: 'Create a user (admin); new users see every folder unless `folders` lists some',
  middleware: [requireAdmin] as const,
  request: {
    body: jsonBody(
      z
        .strictObject({ username: Username, password: Password, role: Role.optional(), ...Settings })
        .openapi('NewUser'),
    ),
  },
  responses: { 201: json(UserSchema, 'Created'), ...errors(400, 401, 403, 409, 413, 415) },
})

const get = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'One user (admin, or the user themself)',
  request: { params: IdParams },
  responses: { 200: json(UserSchema, 'The user'), ...errors(400, 401, 403, 404) },
})

const patch = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'Change a user. Admins may change everything; users only their own password, with currentPassword',
  description:
    'Changing a password signs the user out of every other session. Changing your own password needs `currentPassword`.',
  request: {
    params: IdParams,
    body: jsonBody(
      z
        .strictObject({
          username: Username.optional(),
          role: Role.optional(),
          password: Password.optional(),
          currentPassword: z.string().max(1024).optional(),
          ...Settings,
        })
        .openapi('UserPatch'),
    ),
  },
  responses: { 200: json(UserSchema, 'The changed user'), ...errors(400, 401, 403, 404, 409, 413, 415) },
})

const remove = createRoute({
  method: 'delete',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'Delete a user with their sessions, tokens and grants (admin); the last admin cannot be deleted',
  middleware: [requireAdmin] as const,
  request: { params: IdParams },
  responses: { 204: noContent('Deleted'), ...errors(400, 401, 403, 404, 409) },
})

const revoke = createRoute({
  method: 'delete',
  path: '/users/{id}/credentials',
  tags: ['users'],
  summary: 'Sign a user out everywhere: ends all sessions, revokes all tokens and the Subsonic app password',
  request: { params: IdParams },
  responses: { 204: noContent('Revoked'), ...errors(400, 401, 403, 404) },
})

export function userRoutes(accounts: Accounts) {
  const actor = (c: Context<AppEnv>): Actor => ({ ...actorOf(c), principal: principalOf(c) })
  return new OpenAPIHono<AppEnv>()
    .openapi(list, (c) => c.json({ items: accounts.users.list(actor(c)) }, 200))
    .openapi(create, async (c) => c.json(await accounts.users.create(c.req.valid('json'), actor(c)), 201))
    .openapi(get, (c) => c.json(accounts.users.get(Number(c.req.valid('param').id), actor(c)), 200))
    .openapi(patch, async (c) =>
      c.json(
        await accounts.users.update(Number(c.req.valid('param').id), c.req.valid('json'), actor(c)),
        200,
      ),
    )
    .openapi(remove, (c) => {
      accounts.users.remove(Number(c.req.valid('param').id), actor(c))
      return c.body(null, 204)
    })
    .openapi(revoke, (c) => {
      accounts.users.revokeCredentials(Number(c.req.valid('param').id), actor(c))
      return c.body(null, 204)
    })
}
