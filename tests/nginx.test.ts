import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { join } from 'node:path'
import { serveHttp } from '../src/platform/serve.ts'
import { type StreamingFixture, streamingFixture } from '../src/stream/testing.ts'
import { documentedConfig, findNginx, type Nginx, startNginx } from './helpers/nginx.ts'
import { removeDir, tempDir } from './helpers/server.ts'

// Real nginx (Debian's package) with docs/nginx.conf in front of Tonearm's real app on a real
// socket: a second device's segment requests are answered from nginx's cache, without reaching
// Tonearm. nginx runs as a foreground child of this test, on loopback, with a temporary cache.
setDefaultTimeout(120_000)

const nginxBinary = findNginx()
if (!nginxBinary) {
  process.stderr.write(
    'tests/nginx.test.ts: SKIPPED — nginx is not installed (apt-get install nginx; .ci/run does)\n',
  )
}

let f: StreamingFixture
let tonearm: Awaited<ReturnType<typeof serveHttp>>
let nginx: Nginx
let dir: string
/** Media requests that reached Tonearm, by path. */
const upstreamHits: string[] = []

beforeAll(async () => {
  if (!nginxBinary) return
  f = await streamingFixture()
  await f.addTrack(1, { seconds: 14 })
  tonearm = await serveHttp(
    (req, info) => {
      const path = new URL(req.url).pathname
      if (path.startsWith('/api/media/')) upstreamHits.push(path)
      return f.app.fetch(req, info)
    },
    { port: 0, host: '127.0.0.1' },
  )
  dir = tempDir('tonearm-nginx-')
  nginx = await startNginx(nginxBinary, dir, (port) =>
    documentedConfig({ upstream: `127.0.0.1:${tonearm.port}`, port, cacheDir: join(dir, 'cache') }),
  )
})

afterAll(async () => {
  if (!nginxBinary) return
  await nginx?.stop()
  await tonearm?.stop()
  await f?.close()
  removeDir(dir)
})

/** A device of a user: plays the track through nginx and fetches the init and every segment of one rung. */
async function listen(token: string, rung = 'aac-96') {
  const play = await fetch(`${nginx.url}/api/tracks/1/play`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  expect(play.status).toBe(200)
  const { hls } = (await play.json()) as { hls: string }
  // The URLs name the address the client used: nginx's, passed on in the Host header.
  expect(hls.startsWith(`${nginx.url}/api/media/`)).toBe(true)
  const master = await (await fetch(hls)).text()
  const media = new URL(master.split('\n').find((l) => l.includes(`/${rung}/`)) as string, hls)
  const playlist = await (await fetch(media)).text()
  const files = ['init.mp4', ...playlist.split('\n').filter((l) => l.endsWith('.m4s'))]
  const answers: { file: string; url: string; status: number; cache: string | null; bytes: Uint8Array }[] = []
  for (const file of files) {
    const url = new URL(file, media).href
    const res = await fetch(url)
    answers.push({
      file,
      url,
      status: res.status,
      cache: res.headers.get('x-cache-status'),
      bytes: new Uint8Array(await res.arrayBuffer()),
    })
  }
  return answers
}

describe.skipIf(!nginxBinary)('nginx with docs/nginx.conf in front of Tonearm', () => {
  it("serves a second device's segment requests from its cache", async () => {
    const anna = await f.user('anna')
    const first = await listen(anna.token)
    expect(first.every((a) => a.status === 200 && a.cache === 'MISS')).toBe(true)
    const reachedTonearm = upstreamHits.length

    // Another device of the same user, signed in separately, within the same hour.
    const { token: phone } = await f.accounts.auth.login('anna', 'anna-password', {})
    const second = await listen(phone)
    expect(second.map((a) => [a.file, a.status, a.cache])).toEqual(first.map((a) => [a.file, 200, 'HIT']))
    expect(second.map((a) => a.bytes)).toEqual(first.map((a) => a.bytes))
    // Only the playlists went through to Tonearm.
    const since = upstreamHits.slice(reachedTonearm)
    expect(since.every((p) => p.endsWith('.m3u8'))).toBe(true)
    process.stdout.write(
      `nginx: first device ${first.length} segments MISS, second device ${second.length} HIT; Tonearm saw ${since.length} playlist requests for the second\n`,
    )
  })

  it('answers Range requests from the cached copy, and never caches a refusal', async () => {
    const carl = await f.user('carl')
    const [, first] = await listen(carl.token, 'aac-160')
    const url = first?.url as string
    const part = await fetch(url, { headers: { range: 'bytes=0-99' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('x-cache-status')).toBe('HIT')
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([...(first?.bytes.slice(0, 100) ?? [])])

    const forged = url.replace(/(\/media\/\d+\.\d{10}\.)(.)/, (_, p, c) => `${p}${c === 'A' ? 'B' : 'A'}`)
    for (let i = 0; i < 2; i++) {
      const res = await fetch(forged)
      expect(res.status).toBe(403)
      expect(res.headers.get('x-cache-status')).toBe('MISS')
    }
  })
})
