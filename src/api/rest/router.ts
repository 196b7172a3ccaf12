import { OpenAPIHono, type OpenAPIHonoOptions } from '@hono/zod-openapi'
import type { AppEnv } from '../context.ts'
import { problem } from '../problem.ts'

// Schema failures become a 400 naming the first bad field, in the same problem shape as every
// error. The hook belongs to each OpenAPIHono instance, so every route group is made here.
export const validationHook: NonNullable<OpenAPIHonoOptions<AppEnv>['defaultHook']> = (result, c) => {
  if (result.success) return
  const issue = result.error.issues[0]
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined
  const field = unknownKey ?? (issue?.path.join('.') || '(body)')
  const message = unknownKey ? 'is not a known field' : (issue?.message ?? 'invalid')
  return problem(c, 400, 'invalid', `${field}: ${message}`, { field })
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}
