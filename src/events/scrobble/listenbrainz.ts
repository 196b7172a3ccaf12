import { endpoint, type Outcome, post, type ServiceClient, transient } from './services.ts'

/** ListenBrainz `POST /1/submit-listens` (https://listenbrainz.readthedocs.io/en/latest/users/api/core.html). */
export function listenBrainzClient(opts: { baseUrl: string; version: string }): ServiceClient {
  return {
    async send(kind, item, secret, signal) {
      if (!('token' in secret)) return { ok: false, kind: 'unauthorized', reason: 'no ListenBrainz token' }
      const listen = {
        ...(kind === 'listen' ? { listened_at: Math.floor(item.startedAt / 1000) } : {}),
        track_metadata: {
          artist_name: item.artist,
          track_name: item.title,
          ...(item.album ? { release_name: item.album } : {}),
          additional_info: {
            duration_ms: item.durationMs,
            media_player: 'Tonearm',
            submission_client: 'Tonearm',
            submission_client_version: opts.version,
          },
        },
      }
      const res = await post(
        endpoint(opts.baseUrl, '1/submit-listens'),
        {
          headers: { authorization: `Token ${secret.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            listen_type: kind === 'listen' ? 'single' : 'playing_now',
            payload: [listen],
          }),
        },
        signal,
      )
      if (!(res instanceof Response)) return res
      const text = await res.text().catch(() => '')
      return classify(res.status, text)
    },
  }
}

function classify(status: number, body: string): Outcome {
  if (status >= 200 && status < 300) return { ok: true }
  let reason = `HTTP ${status}`
  try {
    const parsed = JSON.parse(body) as { error?: string }
    if (parsed.error) reason += `: ${parsed.error}`
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  if (status === 401 || status === 403) return { ok: false, kind: 'unauthorized', reason, status }
  if (status === 429 || status >= 500) return transient(reason, status)
  return { ok: false, kind: 'rejected', reason, status }
}
