// The small set of domain errors every module throws. Each API maps them once at its edge
// (problem+json for /api, Subsonic codes for /rest), so domain code never knows about HTTP.

export type ErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'busy'

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Machine-readable details for clients, e.g. the offending field. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new DomainError('invalid', message, details)
export const unauthorized = (message = 'authentication required') => new DomainError('unauthorized', message)
export const forbidden = (message = 'not allowed') => new DomainError('forbidden', message)
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`)
export const conflict = (message: string) => new DomainError('conflict', message)
export const busy = (message: string, retryAfterSeconds?: number) =>
  new DomainError('busy', message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds })
