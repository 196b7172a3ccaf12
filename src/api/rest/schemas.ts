import { z } from '@hono/zod-openapi'
import {
  AUDIT_ACTIONS,
  PASSWORD_MAX,
  PASSWORD_MIN,
  ROLES,
  SCOPES,
  TOKEN_KINDS,
  USERNAME_PATTERN,
} from '../../accounts/index.ts'
import { problem } from './problems.ts'

// Schemas shared by the account routes. They mirror the domain's rules so the OpenAPI document
// tells clients the limits; the domain checks again, so the CLI gets the same answers.

/** Ids in paths: digits only, so "1e3", "0x10", " 1", "../1" and friends are all a 400. */
export const IdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
})

export const Username = z
  .string()
  .regex(
    USERNAME_PATTERN,
    'must be 1-64 letters, digits or ._@+- characters, starting with a letter or digit',
  )
  .openapi({ example: 'anna' })

export const Password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)

export const Role = z.enum(ROLES)
export const Scope = z.enum(SCOPES)

export const FolderGrant = z
  .union([z.literal('all'), z.array(z.number().int().positive()).max(10_000)])
  .openapi({
    description: '"all": every music folder, including ones added later; a list: only those folder ids',
    example: 'all',
  })

export const UserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: Role,
    folders: FolderGrant.openapi({ description: 'ignored while the role is admin: admins see every folder' }),
    maxBitrate: z.number().int().openapi({ description: 'kbps; 0 means no limit' }),
    canDownload: z.boolean(),
    canShare: z.boolean(),
    hasSubsonicPassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User')

export const LoginResultSchema = z
  .object({
    token: z
      .string()
      .openapi({ description: 'bearer token for `Authorization: Bearer …`; also set as the session cookie' }),
    expiresAt: z.string().openapi({ description: 'slides forward with use' }),
    user: UserSchema,
  })
  .openapi('LoginResult')

export const TokenSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(TOKEN_KINDS),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
  })
  .openapi('Token')

export const SessionSchema = z
  .object({
    id: z.number().int(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    expiresAt: z.string(),
    address: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean().openapi({ description: 'the session making this request' }),
  })
  .openapi('Session')

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    success: z.boolean(),
    actorId: z.number().int().nullable(),
    actorName: z.string().nullable(),
    target: z.string().nullable(),
    address: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry')

const ERROR_TEXT: Record<number, string> = {
  400: 'A field is missing or invalid; `field` names it',
  401: 'No valid credentials',
  403: 'Signed in, but not allowed (role, token scope or cross-site check)',
  404: 'No such item (or not yours)',
  409: 'Conflicts with the current state',
  413: 'The body is larger than the configured limit',
  415: 'The body is not JSON',
  416: 'The Range cannot be satisfied (or is malformed); Content-Range: bytes */size gives the size',
  429: 'Too many failed attempts; wait Retry-After seconds',
}

/** Problem responses for the OpenAPI document. */
export function errors(...statuses: (keyof typeof ERROR_TEXT)[]) {
  return Object.fromEntries(statuses.map((s) => [s, problem(ERROR_TEXT[s] as string)]))
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

export const noContent = (description: string) => ({ description })
