import { createHash } from 'node:crypto'
import { endpoint, type Outcome, post, type ServiceClient, transient } from './services.ts'

// Last.fm error codes (https://www.last.fm/api/errorcodes): these mean the credentials are bad…
const UNAUTHORIZED = new Set([4, 9, 10, 13, 14, 26])
// …and these that trying again later may work.
const TRANSIENT = new Set([8, 11, 16, 29])

/** Last.fm's signature: md5 of every parameter (but format) as name+value sorted by name, then the secret. */
export function signature(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((k) => k !== 'format' && k !== 'callback')
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('')
  return createHash('md5')
    .update(text + secret, 'utf8')
    .digest('hex')
}

/** Last.fm `track.scrobble` and `track.updateNowPlaying` (https://www.last.fm/api/scrobbling). */
export function lastfmClient(opts: { baseUrl: string; apiKey: string; apiSecret: string }): ServiceClient {
  return {
    async send(kind, item, secret, signal) {
      if (!('sessionKey' in secret))
        return { ok: false, kind: 'unauthorized', reason: 'no Last.fm session key' }
      const apiKey = secret.apiKey ?? opts.apiKey
      const apiSecret = secret.apiSecret ?? opts.apiSecret
      if (!apiKey || !apiSecret)
        return { ok: false, kind: 'unauthorized', reason: 'no Last.fm API key and secret configured' }
      const params: Record<string, string> = {
        method: kind === 'listen' ? 'track.scrobble' : 'track.updateNowPlaying',
        artist: item.artist,
        track: item.title,
        api_key: apiKey,
        sk: secret.sessionKey,
      }
      if (item.album) params.album = item.album
      if (item.durationMs > 0) params.duration = String(Math.round(item.durationMs / 1000))
      if (kind === 'listen') params.timestamp = String(Math.floor(item.startedAt / 1000))
      const body = new URLSearchParams({ ...params, api_sig: signature(params, apiSecret), format: 'json' })
      const res = await post(
        endpoint(opts.baseUrl, '2.0/'),
        { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
        signal,
      )
      if (!(res instanceof Response)) return res
      return classify(res.status, await res.text().catch(() => ''))
    },
  }
}

interface Reply {
  error?: number
  message?: string
  scrobbles?: {
    '@attr'?: { ignored?: number | string }
    scrobble?: { ignoredMessage?: { '#text'?: string } }
  }
}

function classify(status: number, text: string): Outcome {
  let reply: Reply | undefined
  try {
    reply = JSON.parse(text) as Reply
  } catch {
    // an HTML error page from a proxy or an outage
  }
  if (reply?.error !== undefined) {
    const reason = `Last.fm error ${reply.error}: ${reply.message ?? ''}`.trim()
    if (UNAUTHORIZED.has(reply.error)) return { ok: false, kind: 'unauthorized', reason, status }
    if (TRANSIENT.has(reply.error)) return transient(reason, status)
    return { ok: false, kind: 'rejected', reason, status }
  }
  if (status === 429 || status >= 500 || !reply) return transient(`HTTP ${status}`, status)
  if (status >= 400) return { ok: false, kind: 'rejected', reason: `HTTP ${status}`, status }
  // Last.fm answers 200 but ignores a scrobble it filters (too old, a bad artist name, …).
  if (Number(reply.scrobbles?.['@attr']?.ignored ?? 0) > 0)
    return {
      ok: false,
      kind: 'rejected',
      reason: `ignored by Last.fm: ${reply.scrobbles?.scrobble?.ignoredMessage?.['#text'] || 'filtered'}`,
    }
  return { ok: true }
}
