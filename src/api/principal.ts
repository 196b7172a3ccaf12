import type { MiddlewareHandler } from 'hono'
import type { Principal } from '../accounts/index.ts'
import { forbidden } from '../lib/errors.ts'
import type { AppEnv } from './context.ts'
import { principalOf } from './guard.ts'

/** The authenticated caller, or a 401 problem. */
export const requireUser = principalOf

/**
 * Whose private data (history, event stream) a request may read: the caller's own by default;
 * another user's, or everyone's (undefined), only for an admin.
 */
export function readableUser(principal: Principal, requested: number | undefined): number | undefined {
  if (principal.role === 'admin') return requested
  if (requested !== undefined && requested !== principal.userId)
    throw forbidden("only an admin may read another user's listening data")
  return principal.userId
}

/**
 * Route middleware that answers 401 before any validation runs, so an anonymous caller learns
 * that it must sign in rather than what is wrong with its body.
 */
export const authenticated: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireUser(c)
  await next()
}
