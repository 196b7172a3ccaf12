// A local stand-in for ListenBrainz and Last.fm (not shipped code): a real HTTP server on loopback
// that records what it receives, answers the way the services do, and fails on demand.

export interface Received {
  service: 'listenbrainz' | 'lastfm'
  headers: Record<string, string>
  /** JSON body (ListenBrainz) or form fields (Last.fm). */
  body: Record<string, unknown>
  /** What the stub answered. */
  status: number
}

type Failure = { status: number; body: string }

export function startScrobbleStub() {
  const received: Received[] = []
  const failures: Failure[] = []
  let down = false
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url)
      const service = url.pathname.startsWith('/listenbrainz/') ? 'listenbrainz' : 'lastfm'
      const text = await req.text()
      const body =
        service === 'listenbrainz'
          ? (JSON.parse(text) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(text))
      const answer = (status: number, reply: string) => {
        received.push({ service, headers: Object.fromEntries(req.headers), body, status })
        return new Response(reply, { status, headers: { 'content-type': 'application/json' } })
      }
      if (down) return answer(503, '<html>down for maintenance</html>')
      const fail = failures.shift()
      if (fail) return answer(fail.status, fail.body)
      if (service === 'listenbrainz') {
        if (url.pathname !== '/listenbrainz/1/submit-listens') return answer(404, '{"error":"not found"}')
        if (req.headers.get('authorization') === 'Token revoked')
          return answer(401, '{"code":401,"error":"Invalid authorization token."}')
        return answer(200, '{"status":"ok"}')
      }
      if (url.pathname !== '/lastfm/2.0/') return answer(404, '{"error":3,"message":"Invalid Method"}')
      if (body.sk === 'revoked')
        return answer(403, '{"error":9,"message":"Invalid session key - Please re-authenticate"}')
      if (body.method === 'track.scrobble')
        return answer(
          200,
          JSON.stringify({
            scrobbles: { '@attr': { accepted: 1, ignored: 0 }, scrobble: { track: { '#text': body.track } } },
          }),
        )
      return answer(200, JSON.stringify({ nowplaying: { track: { '#text': body.track } } }))
    },
  })
  const base = `http://127.0.0.1:${server.port}`
  return {
    received,
    listenbrainzUrl: `${base}/listenbrainz`,
    lastfmUrl: `${base}/lastfm`,
    /** The next `n` requests get this answer. */
    fail(n: number, status = 503, body = '{"error":"temporarily unavailable"}') {
      for (let i = 0; i < n; i++) failures.push({ status, body })
    },
    setDown(value: boolean) {
      down = value
    },
    /** Accepted submissions only. */
    accepted: (service?: Received['service']) =>
      received.filter((r) => r.status === 200 && (!service || r.service === service)),
    stop: () => server.stop(true),
  }
}
