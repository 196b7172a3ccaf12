import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Accounts, isAdmin } from '../../accounts/index.ts'
import type { MusicFolder } from '../../catalog/index.ts'
import type { AppEnv } from '../context.ts'
import { actorOf, principalOf } from '../guard.ts'
import { errors, json, noContent } from './schemas.ts'

const createSubsonic = createRoute({
  method: 'post',
  path: '/me/subsonic-password',
  tags: ['subsonic'],
  summary: 'Generate your Subsonic app password (replacing any previous one); shown only in this response',
  description:
    'Subsonic apps sign in with this password, never your account password. Apps that support OpenSubsonic API keys can use a token of kind `subsonic` instead.',
  responses: {
    201: json(
      z.object({ username: z.string(), password: z.string() }).openapi('SubsonicPassword'),
      'Created',
    ),
    ...errors(401, 403),
  },
})

const revokeSubsonic = createRoute({
  method: 'delete',
  path: '/me/subsonic-password',
  tags: ['subsonic'],
  summary: 'Revoke your Subsonic app password',
  responses: { 204: noContent('Revoked'), ...errors(401, 403, 404) },
})

const FolderSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    path: z.string().optional().openapi({ description: 'shown to admins only' }),
  })
  .openapi('MusicFolder')

const folders = createRoute({
  method: 'get',
  path: '/folders',
  tags: ['library'],
  summary: 'The music folders you may see; their ids are what user grants name',
  responses: { 200: json(z.object({ items: z.array(FolderSchema) }), 'Folders'), ...errors(401) },
})

export function meRoutes(accounts: Accounts, listFolders: () => MusicFolder[]) {
  return new OpenAPIHono<AppEnv>()
    .openapi(createSubsonic, (c) => {
      const p = principalOf(c)
      return c.json({ username: p.username, password: accounts.subsonic.createPassword(p, actorOf(c)) }, 201)
    })
    .openapi(revokeSubsonic, (c) => {
      accounts.subsonic.revokePassword(principalOf(c), actorOf(c))
      return c.body(null, 204)
    })
    .openapi(folders, (c) => {
      const p = principalOf(c)
      const admin = isAdmin(p)
      const items = listFolders()
        .filter((f) => p.folderIds.includes(f.id))
        // Server paths say more about the machine than a listener needs to know.
        .map((f) => (admin ? { id: f.id, name: f.name, path: f.path } : { id: f.id, name: f.name }))
      return c.json({ items }, 200)
    })
}
