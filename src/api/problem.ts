import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DomainError, type ErrorKind } from '../lib/errors.ts'

const statusOf: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 429,
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

// Hono and its validators throw HTTPException (malformed JSON, wrong media type, body too large);
// they get the same stable codes a domain error of that kind would.
const httpCodes: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  413: 'too_large',
  415: 'unsupported_media_type',
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  requestId?: string
  [extension: string]: unknown
}

/** An RFC 9457 problem document; `code` is the stable machine-readable name scripts switch on. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Response {
  const body: Problem = {
    type: `/api/problems#${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    code,
    requestId: c.get('requestId'),
    ...extra,
  }
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' }
  const retry = extra.retryAfterSeconds
  if (typeof retry === 'number') headers['retry-after'] = String(Math.ceil(retry))
  return c.body(JSON.stringify(body), status, headers)
}

// The single translation from domain errors to HTTP for /api. Anything unknown is a bug: it is
// logged with its stack and the client gets a 500 that carries only the request id.
export function errorToResponse(err: unknown, c: Context): Response {
  if (err instanceof DomainError) return problem(c, statusOf[err.kind], err.kind, err.message, err.details)
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode
    const code = httpCodes[status] ?? 'http_error'
    return problem(c, status, code, err.message || titles[status] || 'error')
  }
  c.get('log')?.error({ err }, 'unhandled error')
  return problem(c, 500, 'internal', 'an unexpected error occurred; the request id identifies it in the log')
}
