// Streaming figures (issue 6) against a real server spawned from source on loopback, WASM engine,
// the demo library: time to first byte of a cached first segment and of a cold one, and
// throughput and p99 latency of 200 concurrent clients fetching cached segments, from Tonearm
// (signature, user and folder checks in place) and from nginx serving the same files statically.
// Goals: cached TTFB p50 < 5 ms; cold < 400 ms; throughput ≥ 0.7× nginx. A bare Bun.serve of the
// same files is measured too: the most any server on this runtime can do, which on a loaded
// two-core machine can itself be well under 0.7× nginx.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { streamingFixture } from '../../src/stream/testing.ts'
import { demoLibrary } from '../../tests/helpers/library.ts'
import { findNginx, startNginx } from '../../tests/helpers/nginx.ts'
import { fromSource, removeDir, start, tempDir, waitForHealth } from '../../tests/helpers/server.ts'
import { against, emit, median, type Result, result } from './lib.ts'

const log = (line: string) => process.stderr.write(`stream bench: ${line}\n`)
// Many short rounds rather than a few long ones: the machine is shared, and the ratio of rounds
// run side by side says more than one long run of each.
const ROUNDS = 5
const LOAD_SECONDS = 6

function ensure(binary: () => string | undefined, pkg: string): string | undefined {
  if (binary()) return binary()
  log(`${pkg} missing; trying apt-get install ${pkg}`)
  spawnSync(
    'sh',
    ['-c', `apt-get install -y -qq ${pkg} || (apt-get update -qq && apt-get install -y -qq ${pkg})`],
    {
      stdio: ['ignore', 2, 2],
    },
  )
  return binary()
}
const which = (name: string) => () => {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}
const nginxBinary = ensure(findNginx, 'nginx')
const wrk = ensure(which('wrk'), 'wrk')

const data = tempDir('tonearm-stream-bench-')
const server = await start(fromSource, ['--data', data, '--music', await demoLibrary(), '--engine', 'wasm'], {
  admin: true,
  env: { TONEARM_LOG_LEVEL: 'info' },
})
await waitForHealth(
  server.url,
  (b) => b.components.scanner?.status === 'ok' && b.components.audio?.status === 'ok',
)
for (let i = 0; i < 300; i++) {
  const scan = (await (await server.api('/api/scan')).json()) as { state: string; lastScan?: unknown }
  if (scan.state === 'idle' && scan.lastScan) break
  await Bun.sleep(100)
}
const tracks = ((await (await server.api('/api/tracks?limit=500')).json()) as { items: { id: number }[] })
  .items
log(`${tracks.length} tracks scanned`)

/** The master playlist's rungs of a track, as absolute media playlist URLs by rung id. */
async function rungsOf(trackId: number): Promise<Map<string, string>> {
  const res = await server.api(`/api/tracks/${trackId}/play`, { method: 'POST' })
  const { hls } = (await res.json()) as { hls: string }
  const master = await (await fetch(hls)).text()
  const uris = master.split('\n').filter((l) => l.endsWith('index.m3u8'))
  return new Map(uris.map((u) => [u.split('/').at(-2) as string, new URL(u, hls).href]))
}

/** Milliseconds until the response headers are in (fetch resolves then), and the body read. */
async function ttfb(url: string): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(url)
  const ms = performance.now() - t0
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`)
  await res.arrayBuffer()
  return ms
}

const results: Result[] = []

// 1. Cold: the first segment of a rung nothing has asked for (the play call warms its start rung,
// aac-160; the others stay cold), made by the WASM engine while the client waits.
const cold: number[] = []
for (const track of tracks) {
  const rungs = await rungsOf(track.id)
  for (const rung of ['aac-24', 'aac-96', 'aac-320']) {
    cold.push(await ttfb(new URL('0.m4s', rungs.get(rung)).href))
  }
}
results.push(
  result('first segment TTFB, cold (WASM)', 'ms', cold, {
    note: `goal < 400 ms; p90 ${percentile(cold, 0.9).toFixed(0)} ms over ${cold.length} rungs`,
  }),
)
log(`cold first segment: median ${median(cold).toFixed(0)} ms`)

// 2. Cached: the same first segment again and again.
const first = new URL('0.m4s', (await rungsOf(tracks[0]?.id as number)).get('aac-160')).href
await ttfb(first)
const cached: number[] = []
for (let i = 0; i < 300; i++) cached.push(await ttfb(first))
results.push(
  result('first segment TTFB, cached', 'ms', cached, {
    note: `goal p50 < 5 ms; p99 ${percentile(cached, 0.99).toFixed(2)} ms`,
  }),
)
log(`cached first segment: median ${median(cached).toFixed(2)} ms`)

// 3. Load: 200 clients on every segment of one rung of a track, rotating.
if (wrk && nginxBinary) {
  const rung = (await rungsOf(tracks[0]?.id as number)).get('aac-160') as string
  const playlist = await (await fetch(rung)).text()
  const segments = playlist.split('\n').filter((l) => l.endsWith('.m4s'))
  const keys: string[] = []
  for (const s of segments) {
    const res = await fetch(new URL(s, rung))
    keys.push(JSON.parse(res.headers.get('etag') as string) as string)
    await res.arrayBuffer()
  }
  const tonearmPaths = segments.map((s) => new URL(s, rung).pathname)
  // nginx serves the very files of the audio cache: its keys are the segments' ETags.
  const nginxDir = tempDir('tonearm-stream-bench-nginx-')
  const nginx = await startNginx(
    nginxBinary,
    nginxDir,
    (port) => `sendfile on; tcp_nopush on;
  server {
    listen 127.0.0.1:${port};
    root ${join(data, 'cache', 'audio')};
    location / { add_header Cache-Control "public, max-age=31536000, immutable"; }
  }`,
  )
  // The runtime's ceiling: Bun.serve answering each path with the cached file, nothing else.
  const bareScript = join(nginxDir, 'bare.ts')
  writeFileSync(
    bareScript,
    `const root = ${JSON.stringify(join(data, 'cache', 'audio'))}
const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: (req) => new Response(Bun.file(root + new URL(req.url).pathname), { headers: { 'cache-control': 'public, max-age=31536000, immutable' } }) })
console.log(s.port)
`,
  )
  const bare = spawn(process.execPath, [bareScript], { stdio: ['ignore', 'pipe', 'inherit'] })
  const barePort = await new Promise<number>((resolve) =>
    bare.stdout?.once('data', (d) => resolve(Number(String(d).trim()))),
  )
  const bareUrl = `http://127.0.0.1:${barePort}`
  /** CPU seconds a process (all its threads) has used: user plus system time from /proc. */
  const cpuSeconds = (pid: number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
  }
  const load = (base: string, paths: string[], pid: number) => {
    const script = join(nginxDir, `paths-${Math.random().toString(36).slice(2)}.lua`)
    writeFileSync(
      script,
      `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`,
    )
    const cpu0 = cpuSeconds(pid)
    const r = spawnSync(wrk, ['-t2', '-c200', `-d${LOAD_SECONDS}s`, '--latency', '-s', script, base], {
      encoding: 'utf8',
    })
    const cpu = cpuSeconds(pid) - cpu0
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1])
    const requests = Number(/(\d+) requests in/.exec(r.stdout)?.[1])
    const [, value = 'NaN', unit = 'ms'] = /99%\s+([\d.]+)(us|ms|s)/.exec(r.stdout) ?? []
    const p99 = Number(value) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1]
    if (errors) throw new Error(`${base}: ${errors} failed responses\n${r.stdout}`)
    return { rps, p99, cpuUs: (cpu * 1e6) / requests }
  }
  const staticPaths = keys.map((k) => `/${k}`)
  const targets = [
    { name: 'Tonearm', base: server.url, paths: tonearmPaths, pid: server.proc.pid as number },
    { name: 'nginx static', base: nginx.url, paths: staticPaths, pid: nginx.proc.pid as number },
    { name: 'bare Bun.serve', base: bareUrl, paths: staticPaths, pid: bare.pid as number },
  ]
  type Run = { rps: number; p99: number; cpuUs: number }
  const runs = new Map(targets.map((t) => [t.name, [] as Run[]]))
  // A first round for the JIT and the page cache, not counted; then rounds in turn, each starting
  // with another server, since the machine is shared and every server should see the same load.
  for (const t of targets) load(t.base, t.paths, t.pid)
  for (let round = 0; round < ROUNDS; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length] as (typeof targets)[number])
    for (const t of order) runs.get(t.name)?.push(load(t.base, t.paths, t.pid))
    log(
      `round ${round + 1}: ${targets
        .map((t) => {
          const r = runs.get(t.name)?.at(-1)
          return `${t.name} ${r?.rps.toFixed(0)} req/s p99 ${r?.p99.toFixed(1)} ms ${r?.cpuUs.toFixed(1)} µs CPU/req`
        })
        .join(', ')}`,
    )
  }
  bare.kill()
  const of = (name: string, what: keyof Run) => (runs.get(name) ?? []).map((x) => x[what])
  /** Tonearm's figure over the reference's, round by round: "median (min–max)". */
  const paired = (ref: string, what: keyof Run) => {
    const ratios = of('Tonearm', what).map((v, i) => v / (of(ref, what)[i] as number))
    return `per round ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
  }
  const label = (name: string, what: keyof Run) =>
    `cached segments, 200 clients: ${name}${what === 'p99' ? ' p99' : what === 'cpuUs' ? ' CPU per request' : ''}`
  const unit = { rps: 'req/s', p99: 'ms', cpuUs: 'µs' }
  const plain = (name: string, what: keyof Run) => result(label(name, what), unit[what], of(name, what))
  const nginxRps = plain('nginx static', 'rps')
  const bareRps = plain('bare Bun.serve', 'rps')
  results.push(
    against(
      result(label('Tonearm', 'rps'), 'req/s', of('Tonearm', 'rps'), {
        note: `goal ratio ≥ 0.7; ${paired('nginx static', 'rps')}; signature, expiry, caller, user, folder and bitrate checks on every request`,
      }),
      nginxRps,
    ),
    against(
      result(label('Tonearm', 'p99'), 'ms', of('Tonearm', 'p99'), { note: paired('nginx static', 'p99') }),
      plain('nginx static', 'p99'),
    ),
    against(
      result(`${label('Tonearm', 'rps')} vs bare Bun.serve`, 'req/s', of('Tonearm', 'rps'), {
        note: paired('bare Bun.serve', 'rps'),
      }),
      bareRps,
    ),
    against(
      result(`${label('Tonearm', 'p99')} vs bare Bun.serve`, 'ms', of('Tonearm', 'p99')),
      plain('bare Bun.serve', 'p99'),
    ),
    against(
      result(`${label('bare Bun.serve', 'rps')} vs nginx`, 'req/s', of('bare Bun.serve', 'rps'), {
        note: "the runtime's own ceiling on this machine",
      }),
      nginxRps,
    ),
    against(
      result(label('Tonearm', 'cpuUs'), 'µs', of('Tonearm', 'cpuUs'), {
        note: `all threads, user + system; ${paired('bare Bun.serve', 'cpuUs')}`,
      }),
      plain('bare Bun.serve', 'cpuUs'),
    ),
    against(plain('bare Bun.serve', 'cpuUs'), plain('nginx static', 'cpuUs')),
    nginxRps,
    plain('nginx static', 'p99'),
    bareRps,
    plain('bare Bun.serve', 'p99'),
  )
  await nginx.stop()
  removeDir(nginxDir)
} else log('no wrk or nginx: load figures skipped')

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number
}

await server.stop()
removeDir(data)

// 4. The handler alone, in process (no sockets, no kernel): CPU time per cached segment request
// through the app's fetch, against a bare handler answering the same file. What the hot path adds
// in JavaScript, in a figure that a busy machine disturbs little.
{
  const f = await streamingFixture()
  await f.addTrack(1, { seconds: 10 })
  const user = await f.user('bench', 'user', [1])
  const play = (await (await f.call('POST', '/api/tracks/1/play', { token: user.token })).json()) as {
    renditions: { id: string; url: string }[]
  }
  const url = new URL('1.m4s', play.renditions.find((r) => r.id === 'aac-160')?.url).href
  const full = await f.fetch(url)
  const file = join(f.dir, 'cache', 'audio', JSON.parse(full.headers.get('etag') as string) as string)
  const env = { remoteAddress: '127.0.0.1' }
  // What the bare server does: find the file from the URL, answer it.
  const bare = (req: Request) => {
    void new URL(req.url).pathname
    return new Response(Bun.file(file), {
      headers: { 'cache-control': 'public, max-age=31536000, immutable' },
    })
  }
  // The play call and the full path started work in worker threads (loudness, read-ahead) whose
  // CPU time would count here.
  await f.audio.idle()
  const cpuPerCall = (fn: () => unknown) => {
    const n = 100_000
    for (let i = 0; i < n / 10; i++) fn()
    const t0 = process.cpuUsage()
    for (let i = 0; i < n; i++) fn()
    const t = process.cpuUsage(t0)
    return (t.user + t.system) / n
  }
  const hot: number[] = []
  const plain: number[] = []
  for (let round = 0; round < 5; round++) {
    hot.push(cpuPerCall(() => f.app.fetch(new Request(url), env)))
    plain.push(cpuPerCall(() => bare(new Request(url))))
  }
  results.push(
    against(
      result('cached segment handler in process: Tonearm hot path', 'µs CPU', hot, {
        note: 'app.fetch of a request made in JavaScript, answered hot (the fixture clock stands still); no socket, no file read',
      }),
      result('cached segment handler in process: bare Bun handler', 'µs CPU', plain),
    ),
  )
  await f.close()
}
emit(results)
