import type { Principal } from '../accounts/index.ts'
import { forbidden } from '../lib/errors.ts'

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
