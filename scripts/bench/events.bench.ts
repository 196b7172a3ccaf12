// Listening events: how many events per second the server ingests through POST /api/events while
// every consumer keeps up, and how far behind the consumers are under a steady 5,000 events/s.
// In process, on a real SQLite file in WAL mode; the HTTP layer is exercised through app.fetch
// (authentication with real API tokens, JSON parsing, validation, the domain). The
// in-run reference is raw SQLite: the same rows INSERTed with a prepared statement, 200 per
// transaction, with no validation, no deduplication and no consumers.
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { createMetrics } from '../../src/api/metrics.ts'
import { testApp } from '../../src/api/testing.ts'
import type { EventInput } from '../../src/events/index.ts'
import { createTestCatalog, type testDatabase, testEvents } from '../../src/events/test-support.ts'
import { against, emit, result } from './lib.ts'

const BATCH = 100
const THROUGHPUT_EVENTS = 60_000
const PACED_RATE = 5_000
const PACED_SECONDS = 10
const RUNS = 3
const log = (msg: string) => process.stderr.write(`events bench: ${msg}\n`)

let seq = 0
/** A household's listening: mostly plays (start + end), some skips, likes and searches. */
function batch(n: number): EventInput[] {
  const out: EventInput[] = []
  const now = Date.now()
  while (out.length < n) {
    const trackId = `t${Math.floor(Math.random() ** 2 * 5000)}`
    const deviceId = `d${seq % 7}`
    const at = now - Math.floor(Math.random() * 3_600_000)
    const id = () => `bench-${process.pid}-${++seq}`
    const r = Math.random()
    if (r < 0.6) {
      out.push({ type: 'play_started', eventId: id(), deviceId, clientTime: at - 180_000, trackId })
      out.push({
        type: 'play_ended',
        eventId: id(),
        deviceId,
        clientTime: at,
        trackId,
        heardMs: 20_000 + Math.floor(Math.random() * 200_000),
      })
    } else if (r < 0.8)
      out.push({ type: 'skip', eventId: id(), deviceId, clientTime: at, trackId, positionMs: 3000 })
    else if (r < 0.9) out.push({ type: 'like', eventId: id(), deviceId, clientTime: at, trackId })
    else
      out.push({
        type: 'search',
        eventId: id(),
        deviceId,
        clientTime: at,
        trackId: null,
        query: 'blue',
        chosen: { type: 'track', id: trackId },
      })
  }
  return out.slice(0, n)
}

async function setup() {
  const metrics = createMetrics()
  let t!: Awaited<ReturnType<typeof testDatabase>>
  let events!: ReturnType<typeof testEvents>
  const base = await testApp({}, (f) => {
    const catalog = createTestCatalog(f.sqlite)
    for (let i = 0; i < 5000; i++)
      catalog.add(`t${i}`, { albumId: `a${i % 400}`, artistIds: [`r${i % 150}`, `r${(i * 7) % 150}`] })
    t = { dir: f.dir, sqlite: f.sqlite, catalog, cleanup: () => base.close() }
    events = testEvents(t, { registry: metrics.registry, runner: {} })
    return { events, metrics }
  })
  const tokens: string[] = []
  for (let n = 1; n <= 4; n++) tokens.push((await base.user(`listener${n}`)).token)
  const app = base.app
  const post = async (events: EventInput[]) => {
    const res = await app.fetch(
      new Request('http://bench/api/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[seq % 4]}` },
        body: JSON.stringify({ source: 'web', events }),
      }),
    )
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`)
    return ((await res.json()) as { head: number }).head
  }
  events.start()
  return { t, events, post }
}

/** Events per second from the first request until every consumer has applied the last event. */
async function throughput(): Promise<number> {
  const { t, events, post } = await setup()
  const bodies = Array.from({ length: THROUGHPUT_EVENTS / BATCH }, () => batch(BATCH))
  const t0 = performance.now()
  let head = 0
  for (const b of bodies) {
    head = await post(b)
    await nextTurn() // let consumers take their turn, as concurrent requests would
  }
  await events.reached(head)
  const rate = THROUGHPUT_EVENTS / ((performance.now() - t0) / 1000)
  await events.stop()
  t.cleanup()
  return rate
}

/** A steady offered load; for each batch, how long until every consumer had applied it. */
async function paced(): Promise<{ rate: number; lags: number[]; cpu: number }> {
  const { t, events, post } = await setup()
  const perTick = (PACED_RATE * 10) / 1000 // a batch every 10 ms
  const lags: number[] = []
  const pending: Promise<void>[] = []
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  let sent = 0
  while (performance.now() - t0 < PACED_SECONDS * 1000) {
    const due = ((performance.now() - t0) / 1000) * PACED_RATE
    while (sent + perTick <= due) {
      const body = batch(perTick)
      const at = performance.now()
      const head = await post(body)
      sent += perTick
      pending.push(events.reached(head).then(() => void lags.push(performance.now() - at)))
    }
    await Bun.sleep(1)
  }
  const elapsed = (performance.now() - t0) / 1000
  const used = process.cpuUsage(cpu0)
  // The generator's own work (building and serialising batches) is included: an upper bound.
  const cpu = (used.user + used.system) / 1e6 / elapsed
  await Promise.all(pending)
  await events.stop()
  t.cleanup()
  return { rate: sent / elapsed, lags, cpu }
}

/** The reference: the same rows straight into a table shaped like the log, no consumers. */
function rawInsert(): number {
  const dir = mkdtempSync(join(tmpdir(), 'tonearm-bench-raw-'))
  const db = new Database(join(dir, 'raw.db'), { create: true })
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA synchronous = NORMAL')
  db.run(`CREATE TABLE events ("offset" INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, event_id TEXT NOT NULL,
    type TEXT NOT NULL, v INTEGER NOT NULL, source TEXT NOT NULL, device_id TEXT NOT NULL, track_id TEXT,
    client_time INTEGER NOT NULL, received_at INTEGER NOT NULL, payload TEXT NOT NULL)`)
  db.run('CREATE UNIQUE INDEX events_user_event_id ON events (user_id, event_id)')
  const insert = db.prepare('INSERT INTO events VALUES (NULL, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)')
  const bodies = Array.from({ length: THROUGHPUT_EVENTS / BATCH }, () => batch(BATCH))
  const t0 = performance.now()
  for (const b of bodies) {
    db.transaction(() => {
      for (const { type, eventId, deviceId, clientTime, trackId, ...rest } of b)
        insert.run(
          1,
          eventId,
          type,
          'web',
          deviceId,
          trackId ?? null,
          clientTime,
          Date.now(),
          JSON.stringify(rest),
        )
    })()
  }
  const rate = THROUGHPUT_EVENTS / ((performance.now() - t0) / 1000)
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return rate
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number
}

const raw: number[] = []
const full: number[] = []
for (let i = 0; i < RUNS; i++) {
  raw.push(rawInsert())
  full.push(await throughput())
  log(`run ${i + 1}: raw ${raw.at(-1)?.toFixed(0)}/s, ingest+consume ${full.at(-1)?.toFixed(0)}/s`)
}
const steady = await paced()
log(
  `paced: ${steady.rate.toFixed(0)}/s, lag p50 ${percentile(steady.lags, 50).toFixed(1)} ms, p99 ${percentile(steady.lags, 99).toFixed(1)} ms, max ${Math.max(...steady.lags).toFixed(1)} ms, CPU ${(steady.cpu * 100).toFixed(0)}%`,
)

const reference = result('raw SQLite INSERT of the same rows, no consumers', 'events/s', raw)
emit([
  reference,
  against(
    result('ingest via POST /api/events until all 7 consumers applied it', 'events/s', full),
    reference,
  ),
  result(`offered load (target ${PACED_RATE}/s, batches of ${(PACED_RATE * 10) / 1000})`, 'events/s', [
    steady.rate,
  ]),
  result('consumer lag at that load, p50', 'ms', [percentile(steady.lags, 50)]),
  result('consumer lag at that load, p99', 'ms', [percentile(steady.lags, 99)]),
  result('consumer lag at that load, max', 'ms', [Math.max(...steady.lags)]),
  result('CPU at that load (server work plus the load generator)', '% of a core', [steady.cpu * 100]),
])
