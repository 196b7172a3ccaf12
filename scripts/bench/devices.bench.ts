// Device channel figures: with 1,000 connected devices (10 users × 100, loopback), the time from one
// device sending a command to every device of that user holding the new state (p50, p99), and the
// server memory per idle connection. The in-run reference is a bare Bun WebSocket server doing the
// same fan-out with nothing else (ws-reference.ts); rounds alternate between the two so drift on
// this shared machine hits both alike. Then the handoff gap between two Chromium pages playing
// real audio (tests/helpers/handoff.ts). Goals: p99 < 20 ms, < 50 KB per connection, gap < 300 ms.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDeviceRig } from '../../tests/helpers/device-page.ts'
import { CHROMIUM, launchChromium, measureHandoff } from '../../tests/helpers/handoff.ts'
import { fromSource, removeDir, start, tempDir, waitForHealth } from '../../tests/helpers/server.ts'
import { type Fanout, openFanout, percentile } from './fanout.ts'
import { against, emit, result } from './lib.ts'

const USERS = 10
const DEVICES_PER_USER = 100
const ROUNDS = 6
const COMMANDS_PER_ROUND = 100
const HANDOFFS = 5
const PASSWORD = 'bench-password-1'

const say = (line: string) => process.stderr.write(`devices bench: ${line}\n`)
const rssKb = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1])

async function json<T>(res: Promise<Response>): Promise<T> {
  const r = await res
  if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`)
  return (await r.json()) as T
}

// --- Tonearm from source, with 10 users made through its own API ---
const data = tempDir()
const music = tempDir()
const server = await start(fromSource, ['--data', data, '--music', music], {
  env: { TONEARM_ADMIN_PASSWORD: PASSWORD },
})
await waitForHealth(server.url, (b) => b.components.audio?.status === 'ok')
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
const login = async (username: string) =>
  (await json<{ token: string }>(post('/api/auth/login', { username, password: PASSWORD }))).token
const admin = await login('admin')
const tokens: string[] = []
for (let u = 0; u < USERS; u++) {
  await json(post('/api/users', { username: `bench${u}`, password: PASSWORD }, admin))
  tokens.push(await login(`bench${u}`))
}
say(`server up (pid ${server.proc.pid}), ${USERS} users`)

// --- The reference server ---
const reference = spawn(process.execPath, [join(import.meta.dir, 'ws-reference.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
})
const refPort = await new Promise<number>((resolve) =>
  reference.stdout?.once('data', (d) => resolve((JSON.parse(String(d)) as { port: number }).port)),
)

const wsBase = server.url.replace('http', 'ws')
const WARM = 100

// The resident size once it stops moving (start-up and registration garbage being collected).
async function settledRssKb(pid: number): Promise<number> {
  let last = rssKb(pid)
  for (let i = 0; i < 40; i++) {
    await Bun.sleep(500)
    const now = rssKb(pid)
    if (Math.abs(now - last) < 128) return now
    last = now
  }
  return last
}

// Memory per connection is the growth between two settled readings, at 100 and at 1,000
// connections: what start-up released or the first connections warmed up cancels out.
async function connectAll(
  pid: number,
  open: (checkpoint: { at: number; run: () => Promise<void> }) => Promise<Fanout>,
): Promise<{ fan: Fanout; kbPerConnection: number }> {
  let warm = 0
  const fan = await open({
    at: WARM,
    run: async () => {
      warm = await settledRssKb(pid)
    },
  })
  const full = await settledRssKb(pid)
  return { fan, kbPerConnection: (full - warm) / (USERS * DEVICES_PER_USER - WARM) }
}

const tonearm = await connectAll(server.proc.pid as number, (checkpoint) =>
  openFanout(
    {
      url: () => `${wsBase}/api/ws`,
      options: (g) => ({ headers: { authorization: `Bearer ${tokens[g]}` } }),
      greet: (ws) =>
        ws.send(
          JSON.stringify({
            type: 'register',
            device: { id: crypto.randomUUID(), name: 'bench device', kind: 'other', capabilities: ['audio'] },
          }),
        ),
      ready: (f) => f.type === 'registered',
    },
    USERS,
    DEVICES_PER_USER,
    checkpoint,
  ),
)
say(`tonearm: ${USERS * DEVICES_PER_USER} devices registered, ${tonearm.kbPerConnection.toFixed(1)} KB each`)
const bare = await connectAll(reference.pid as number, (checkpoint) =>
  openFanout(
    {
      url: (g) => `ws://127.0.0.1:${refPort}/?group=${g}`,
      options: () => ({}),
      ready: (f) => f.type === 'hello',
    },
    USERS,
    DEVICES_PER_USER,
    checkpoint,
  ),
)
say(`reference: connected, ${bare.kbPerConnection.toFixed(1)} KB each`)

// --- Fan-out latency, rounds alternating between the two ---
async function round(fan: Fanout, r: number, frame: (base: number, i: number) => object): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < COMMANDS_PER_ROUND; i++) {
    // A different sender every time: each device stays far below its own frame-rate limit.
    samples.push(await fan.command(i % USERS, r * 10 + Math.floor(i / USERS), (base) => frame(base, i)))
  }
  return samples
}
const ours = { p50: [] as number[], p99: [] as number[] }
const theirs = { p50: [] as number[], p99: [] as number[] }
for (let r = 0; r < ROUNDS; r++) {
  const a = await round(tonearm.fan, r, (baseVersion, i) => ({
    type: 'command',
    action: 'volume',
    volume: i % 101,
    baseVersion,
  }))
  const b = await round(bare.fan, r, (_base, i) => ({ volume: i % 101 }))
  ours.p50.push(percentile(a, 50))
  ours.p99.push(percentile(a, 99))
  theirs.p50.push(percentile(b, 50))
  theirs.p99.push(percentile(b, 99))
  say(
    `round ${r + 1}: tonearm p50 ${ours.p50.at(-1)?.toFixed(2)} p99 ${ours.p99.at(-1)?.toFixed(2)} ms; reference p50 ${theirs.p50.at(-1)?.toFixed(2)} p99 ${theirs.p99.at(-1)?.toFixed(2)} ms`,
  )
}
tonearm.fan.close()
bare.fan.close()
reference.kill('SIGKILL')
await server.stop()
removeDir(data)
removeDir(music)

// --- Handoff between two browser devices ---
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`)
const rig = await startDeviceRig()
const browser = await launchChromium()
const gaps: number[] = []
const serverGaps: number[] = []
for (let i = 0; i < HANDOFFS; i++) {
  const h = await measureHandoff(browser, rig)
  gaps.push(h.gapMs)
  serverGaps.push(h.serverGapMs)
  say(`handoff ${i + 1}: gap ${h.gapMs} ms, position delta ${h.positionDeltaMs.toFixed(0)} ms`)
}
await browser.close()
await rig.close()

const fanLabel = `${USERS} users × ${DEVICES_PER_USER} devices`
const refP50 = result('bare Bun WebSocket fan-out, p50', 'ms', theirs.p50)
const refP99 = result('bare Bun WebSocket fan-out, p99', 'ms', theirs.p99)
const refMem = result('bare Bun WebSocket, per idle connection', 'KB', [bare.kbPerConnection])
emit([
  refP50,
  against(result(`command → all 100 devices of the user have it, p50 (${fanLabel})`, 'ms', ours.p50), refP50),
  refP99,
  against(
    result(`command → all 100 devices of the user have it, p99 (${fanLabel})`, 'ms', ours.p99, {
      note: 'goal < 20 ms',
    }),
    refP99,
  ),
  refMem,
  against(
    result('server memory per idle registered device connection (RSS)', 'KB', [tonearm.kbPerConnection], {
      note: 'goal < 50 KB',
    }),
    refMem,
  ),
  result('handoff gap between two Chromium devices (page clock)', 'ms', gaps, { note: 'goal < 300 ms' }),
  result('handoff gap as the server measured it from the devices’ reports', 'ms', serverGaps),
])
