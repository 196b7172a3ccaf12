import { z } from 'zod'

export const SERVICES = ['listenbrainz', 'lastfm'] as const
export type Service = (typeof SERVICES)[number]

/** What is sent for one listen, resolved from the catalog when the listen was queued. */
export interface Submission {
  artist: string
  title: string
  album: string | null
  durationMs: number
  /** When the track started, in ms (both services want start time for a listen). */
  startedAt: number
}

/**
 * How a submission went. `transient` is retried with backoff (5xx, 429, network); `rejected`
 * drops this one submission (the service will never take it); `unauthorized` means the
 * credentials are bad, so the account is paused until the user saves new ones.
 */
export type Outcome =
  | { ok: true }
  | { ok: false; kind: 'transient' | 'rejected' | 'unauthorized'; reason: string; status?: number }

export interface ServiceClient {
  send(
    kind: 'listen' | 'now_playing',
    item: Submission,
    secret: ServiceSecret,
    signal: AbortSignal,
  ): Promise<Outcome>
}

export const ListenBrainzSecret = z.strictObject({
  token: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
})
export const LastfmSecret = z.strictObject({
  sessionKey: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  /** A user's own API account; the server's configured one is used when absent. */
  apiKey: z.string().min(1).max(200).optional(),
  apiSecret: z.string().min(1).max(200).optional(),
})
export type ServiceSecret = z.infer<typeof ListenBrainzSecret> | z.infer<typeof LastfmSecret>

export const secretSchemas = { listenbrainz: ListenBrainzSecret, lastfm: LastfmSecret } as const

/** Joins a configured base URL and an endpoint path, whether or not the base ends in a slash. */
export const endpoint = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path}`

export const transient = (reason: string, status?: number): Outcome => ({
  ok: false,
  kind: 'transient',
  reason,
  status,
})

/** Network failures and timeouts are worth retrying; an abort at shutdown is too (next start). */
export async function post(url: string, init: RequestInit, signal: AbortSignal): Promise<Response | Outcome> {
  try {
    return await fetch(url, {
      ...init,
      method: 'POST',
      signal: AbortSignal.any([signal, AbortSignal.timeout(15_000)]),
    })
  } catch (err) {
    return transient(`network: ${(err as Error).message}`)
  }
}
