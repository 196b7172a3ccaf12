import { DomainError } from '../../lib/errors.ts'

// The Subsonic error codes (OpenSubsonic's error response) by name, so no handler writes a bare
// number, and the one place where domain errors become them.

export const CODES = {
  generic: 0,
  missingParameter: 10,
  clientMustUpgrade: 20,
  serverMustUpgrade: 30,
  wrongCredentials: 40,
  tokenAuthUnavailable: 41,
  mechanismUnsupported: 42,
  conflictingMechanisms: 43,
  invalidApiKey: 44,
  notAuthorized: 50,
  notFound: 70,
} as const

export type ErrorCode = (typeof CODES)[keyof typeof CODES]

export class SubsonicError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** OpenSubsonic's `helpUrl`: where a user learns how to fix it. */
    readonly helpUrl?: string,
  ) {
    super(message)
    this.name = 'SubsonicError'
  }
}

export const missing = (name: string) =>
  new SubsonicError(CODES.missingParameter, `required parameter ${name} is missing`)
export const notFound = (what: string) => new SubsonicError(CODES.notFound, `${what} not found`)
export const notAuthorized = (message: string) => new SubsonicError(CODES.notAuthorized, message)
export const unsupported = (endpoint: string, why: string) =>
  new SubsonicError(CODES.generic, `${endpoint} is not supported by Tonearm: ${why}`)

const BY_KIND: Record<DomainError['kind'], ErrorCode> = {
  invalid: CODES.generic,
  unauthorized: CODES.wrongCredentials,
  forbidden: CODES.notAuthorized,
  not_found: CODES.notFound,
  conflict: CODES.generic,
  busy: CODES.generic,
}

/** Domain errors keep their message; anything else is a bug, answered without its details. */
export function toSubsonicError(err: unknown): SubsonicError | null {
  if (err instanceof SubsonicError) return err
  if (err instanceof DomainError) {
    const retry = err.details?.retryAfterSeconds
    const suffix = typeof retry === 'number' ? ` (try again in ${retry} s)` : ''
    return new SubsonicError(BY_KIND[err.kind], `${err.message}${suffix}`)
  }
  return null
}
