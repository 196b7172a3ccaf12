import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { type Accounts, AUDIT_ACTIONS } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { requireAdmin } from '../guard.ts'
import { AuditEntrySchema, errors, json } from './schemas.ts'

const list = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  summary: 'The audit log, newest first (admin): sign-ins, sign-outs, token and user changes, setup',
  middleware: [requireAdmin] as const,
  request: {
    query: z.strictObject({
      cursor: z
        .string()
        .regex(/^[1-9][0-9]{0,14}$/, 'must be the nextCursor of a previous page')
        .optional()
        .openapi({ description: 'the nextCursor of the previous page' }),
      limit: z
        .string()
        .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number from 1 to 500')
        .refine((v) => Number(v) <= 500, 'must be a whole number from 1 to 500')
        .optional()
        .openapi({ description: '1-500, default 50' }),
      action: z.enum(AUDIT_ACTIONS).optional(),
      actorId: z
        .string()
        .regex(/^[1-9][0-9]{0,14}$/, 'must be a user id')
        .optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage'),
      'A page of entries',
    ),
    ...errors(400, 401, 403),
  },
})

export function auditRoutes(accounts: Accounts) {
  return new OpenAPIHono<AppEnv>().openapi(list, (c) => {
    const q = c.req.valid('query')
    const page = accounts.audit.list({
      cursor: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit === undefined ? undefined : Number(q.limit),
      action: q.action,
      actorId: q.actorId === undefined ? undefined : Number(q.actorId),
    })
    return c.json(page, 200)
  })
}
