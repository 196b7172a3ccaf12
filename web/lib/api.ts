// One way to call the server: same-origin fetch with the session cookie, JSON in and out, and
// problem+json errors turned into an ApiError that carries the server's own words.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

/** A network failure (server stopped, offline), as opposed to an answer we did not like. */
export class OfflineError extends Error {}

/** Called when any request answers 401, so the app can show the sign-in page again. */
let onUnauthorized: () => void = () => {}
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers = new Headers(init.headers)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  let res: Response
  try {
    res = await fetch(path, { ...init, headers, body, credentials: 'same-origin' })
  } catch (e) {
    throw new OfflineError(e instanceof Error ? e.message : String(e))
  }
  if (res.status === 204) return undefined as T
  const type = res.headers.get('content-type') ?? ''
  if (!res.ok) {
    // A service worker answers 503 with no body when neither the network nor its cache has it.
    if (res.status === 503 && !type.includes('json')) throw new OfflineError('unreachable')
    const p = type.includes('json') ? ((await res.json()) as Record<string, unknown>) : {}
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthorized()
    throw new ApiError(
      res.status,
      String(p.detail ?? p.title ?? res.statusText),
      p.code as string | undefined,
      p.field as string | undefined,
    )
  }
  return (await res.json()) as T
}

export const coverUrl = (id: string | null, size = 300) => (id ? `/api/covers/${id}?size=${size}` : '')
