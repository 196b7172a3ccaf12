// The listening-event fault test: events are ingested (with duplicates and retried batches) while
// the real server consumes them, and the server is killed with SIGKILL at random points, several
// times. After a last restart every count must be exact: nothing lost, nothing counted twice.
//
// Ingestion is real: POST /api/events with each listener's bearer token. A batch whose answer
// never came back (the server died mid-request) is sent again after the restart, as a client
// would, so the log sees both kinds of duplicate: retries of committed batches and replays.
import { afterAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { loadConfig } from '../src/config/index.ts'
import { openDatabase } from '../src/db/index.ts'
import { createEvents, type EventInput, type Events, noCatalog } from '../src/events/index.ts'
import { createLogger } from '../src/lib/logger.ts'
import type { Sqlite } from '../src/platform/sqlite.ts'
import { coListensConsumer } from '../src/recommend/index.ts'
import { fromSource, type Running, removeDir, run, start, tempDir } from './helpers/server.ts'

setDefaultTimeout(240_000)
const dirs: string[] = []
afterAll(() => dirs.forEach(removeDir))

// A small deterministic PRNG so a failure can be replayed with the same workload.
function prng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const USERS = [1, 2, 3]
const TRACKS = Array.from({ length: 40 }, (_, i) => `track-${i}`)
const UNITS = 9000
const ROUNDS = 6

/**
 * The workload and, tallied while it is made, what every count must be: each unit is one thing a
 * listener did, chosen so its effect is known by construction (60 s heard is a play, 5 s is not).
 */
function workload(seed: number) {
  const rand = prng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T
  const now = Date.now()
  const expected = {
    plays: new Map<string, number>(), // user/track
    heard: new Map<string, number>(),
    starts: new Map<string, number>(),
    skips: new Map<string, number>(),
    history: new Map<number, number>(), // user
  }
  const bump = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by)
  const units: { userId: number; events: EventInput[] }[] = []
  let n = 0
  const id = () => `fault-${seed}-${++n}`
  for (let i = 0; i < UNITS; i++) {
    const userId = pick(USERS)
    const trackId = pick(TRACKS)
    const deviceId = pick(['phone', 'web', 'car'])
    const key = `${userId}/${trackId}`
    const at = now - Math.floor(rand() * 3 * 86_400_000) - 60_000
    const common = { deviceId }
    const r = rand()
    let events: EventInput[]
    if (r < 0.45) {
      events = [
        { ...common, type: 'play_started', eventId: id(), clientTime: at - 60_000, trackId },
        { ...common, type: 'play_ended', eventId: id(), clientTime: at, trackId, heardMs: 60_000 },
      ]
      bump(expected.plays, key)
      bump(expected.heard, key, 60_000)
      bump(expected.starts, key)
      bump(expected.history, userId)
    } else if (r < 0.7) {
      events = [
        { ...common, type: 'play_started', eventId: id(), clientTime: at - 5000, trackId },
        { ...common, type: 'skip', eventId: id(), clientTime: at, trackId, positionMs: 5000 },
        { ...common, type: 'play_ended', eventId: id(), clientTime: at, trackId, heardMs: 5000 },
      ]
      bump(expected.heard, key, 5000)
      bump(expected.starts, key)
      bump(expected.skips, key)
    } else if (r < 0.85) {
      events = [
        { ...common, type: 'scrobble', eventId: id(), clientTime: at, trackId, submission: true, time: at },
      ]
      bump(expected.plays, key)
      bump(expected.history, userId)
    } else {
      events = [
        { ...common, type: rand() < 0.7 ? 'like' : 'unlike', eventId: id(), clientTime: at, trackId },
        { ...common, type: 'rate', eventId: id(), clientTime: at, trackId, rating: Math.floor(rand() * 6) },
        { ...common, type: 'seek', eventId: id(), clientTime: at, trackId, fromMs: 1000, toMs: 90_000 },
        { ...common, type: 'search', eventId: id(), clientTime: at, trackId: null, query: 'q', chosen: null },
      ]
    }
    units.push({ userId, events })
  }
  return { units, expected }
}

/** Per-user batches of up to 150 events, in the order the units were made. */
function batches(units: { userId: number; events: EventInput[] }[]) {
  const out: { userId: number; events: EventInput[] }[] = []
  for (const u of units) {
    const last = out.at(-1)
    if (last && last.userId === u.userId && last.events.length + u.events.length <= 150)
      last.events.push(...u.events)
    else out.push({ userId: u.userId, events: [...u.events] })
  }
  return out
}

function domain(sqlite: Sqlite, data: string): Events {
  const config = loadConfig({ flags: { data }, env: {} }).config
  const rule = { minMs: config.playThresholdSeconds * 1000, fraction: config.playThresholdFraction }
  return createEvents({
    db: sqlite.db,
    registry: new Registry(),
    logger: createLogger('silent'),
    resolveTrack: noCatalog, // as the server sees these tracks: none of them is in its (empty) catalog
    keyFile: join(data, 'keys', 'scrobble.key'),
    config,
    version: 'test',
    // The server's one extra consumer, the recommendations' co-listen graph, is checked too.
    extraConsumers: [coListensConsumer({ db: sqlite.db, resolveTrack: noCatalog, rule })],
  })
}

const consumerState = (s: Sqlite) => ({
  playCounts: s.all('SELECT * FROM play_counts ORDER BY user_id, kind, item_id'),
  global: s.all('SELECT * FROM play_counts_global ORDER BY kind, item_id'),
  daily: s.all('SELECT * FROM play_daily ORDER BY user_id, kind, item_id, day'),
  history: s.all(
    'SELECT user_id, track_id, device_id, played_at, heard_ms, source FROM listening_history ORDER BY user_id, played_at, track_id, device_id, heard_ms',
  ),
  skips: s.all('SELECT * FROM track_skips ORDER BY user_id, track_id'),
  trending: s.all('SELECT * FROM trending_hourly ORDER BY track_id, hour'),
  feedback: s.all('SELECT * FROM track_feedback ORDER BY user_id, track_id'),
  nowPlaying: s.all('SELECT * FROM now_playing ORDER BY user_id, device_id'),
  // Rounded: the same weights summed in other batches differ in the last bits.
  coListens: s.all(
    'SELECT track_id, other_id, round(weight, 9) AS weight, last_at FROM co_listens ORDER BY 1, 2',
  ),
  coListenRecent: s.all('SELECT * FROM co_listen_recent ORDER BY user_id, seq'),
})

/** The server's event consumers: seven for statistics and scrobbling, one for recommendations. */
const CONSUMERS = 8

async function lagOf(server: Running): Promise<number[]> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  return [...text.matchAll(/^tonearm_events_consumer_lag\{consumer="[^"]+"\} (\d+)$/gm)].map((m) =>
    Number(m[1]),
  )
}

describe('listening events under kill -9', () => {
  it('counts every event exactly once however often the server dies mid-consumption', async () => {
    const data = tempDir('tonearm-fault-')
    const music = tempDir('tonearm-fault-music-')
    dirs.push(data, music)
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000)
    const rand = prng(seed + 1)
    const { units, expected } = workload(seed)
    const all = batches(units)
    const uniqueEvents = all.reduce((n, b) => n + b.events.length, 0)

    // Real accounts, made by the CLI before the first start: ids 1..3 in order.
    for (const u of USERS) {
      const r = await run(fromSource, ['user', 'add', `listener${u}`, '--password-stdin', '--data', data], {
        input: `listener-${u}-password`,
      })
      expect(r.code).toBe(0)
    }
    const sqlite = await openDatabase(data)
    const producer = domain(sqlite, data)
    const checkpoints = () =>
      sqlite.all<{ checkpoint: number }>('SELECT checkpoint FROM event_consumers').map((r) => r.checkpoint)
    const tokens = new Map<number, string>()
    type Batch = { userId: number; events: EventInput[] }
    /** The server's answer, or null when the request died with the server. */
    const send = async (url: string, b: Batch) => {
      try {
        const res = await fetch(`${url}/api/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(b.userId)}` },
          body: JSON.stringify({ source: 'api', events: b.events }),
        })
        if (res.status !== 200)
          throw new Error(`POST /api/events answered ${res.status}: ${await res.text()}`)
        return (await res.json()) as { accepted: number; duplicates: number }
      } catch (err) {
        if ((err as Error).message.startsWith('POST /api/events answered')) throw err
        return null
      }
    }

    const kills: { head: number; checkpoints: number[] }[] = []
    let duplicates = 0
    let unanswered: Batch[] = []
    const perRound = Math.ceil(all.length / ROUNDS)
    for (let round = 0; round < ROUNDS; round++) {
      const server = await start(fromSource, ['--data', data, '--music', music])
      if (round === 0) {
        for (const u of USERS) {
          const res = await fetch(`${server.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: `listener${u}`, password: `listener-${u}-password` }),
          })
          tokens.set(u, ((await res.json()) as { token: string }).token)
        }
      }
      const mine = [...unanswered, ...all.slice(round * perRound, (round + 1) * perRound)]
      unanswered = []
      let killed = false
      // Die somewhere in the middle of this round's ingestion and consumption.
      const killAfter = 150 + rand() * 900
      const timer = setTimeout(() => {
        killed = true
        server.proc.kill('SIGKILL')
      }, killAfter)
      for (const b of mine) {
        const r = await send(server.url, b)
        if (!r) {
          unanswered.push(b)
          continue
        }
        duplicates += r.duplicates
        // A client that did not see the answer retries the same batch …
        if (rand() < 0.2) duplicates += (await send(server.url, b))?.duplicates ?? 0
        // … and an offline device replays an old one.
        if (rand() < 0.1)
          duplicates +=
            (await send(server.url, all[Math.floor(rand() * (round * perRound + 1))] as Batch))?.duplicates ??
            0
      }
      if (!killed) {
        // Ingestion finished first: kill while the consumers are still working through it.
        clearTimeout(timer)
        while (Math.min(...checkpoints()) === 0 && round === 0) await Bun.sleep(5)
        await Bun.sleep(rand() * 5)
        server.proc.kill('SIGKILL')
      }
      expect(await server.exited).toBeNull() // killed by a signal, not exited
      kills.push({ head: producer.head(), checkpoints: checkpoints() })
    }

    const last = await start(fromSource, ['--data', data, '--music', music])
    // The batches the last kill cut off are delivered now.
    for (const b of unanswered) expect(await send(last.url, b)).not.toBeNull()
    // Nothing was lost on the way in, and retries added nothing.
    expect(duplicates).toBeGreaterThan(0)
    expect(producer.head()).toBe(uniqueEvents)
    // The kills did land mid-consumption: several times some consumer still had work left (over
    // HTTP the consumers sometimes catch up before a kill lands), and at least once a consumer had
    // got part of the way.
    expect(kills.filter((k) => Math.min(...k.checkpoints) < k.head).length).toBeGreaterThanOrEqual(2)
    expect(kills.some((k) => k.checkpoints.some((c) => c > 0 && c < k.head))).toBe(true)

    for (;;) {
      const lag = await lagOf(last)
      if (lag.length === CONSUMERS && lag.every((l) => l === 0)) break
      await Bun.sleep(50)
    }
    expect(await last.stop()).toBe(0)

    // Every count exactly as made.
    const byKey = (sql: string) =>
      new Map(sqlite.all<{ k: string; n: number }>(sql).map((r) => [r.k, r.n] as const))
    const nonZero = (m: Map<string | number, number>) => new Map([...m].filter(([, v]) => v !== 0))
    expect(
      nonZero(
        byKey("SELECT user_id || '/' || item_id AS k, plays AS n FROM play_counts WHERE kind = 'track'"),
      ),
    ).toEqual(expected.plays)
    expect(
      nonZero(
        byKey("SELECT user_id || '/' || item_id AS k, heard_ms AS n FROM play_counts WHERE kind = 'track'"),
      ),
    ).toEqual(expected.heard)
    expect(nonZero(byKey("SELECT user_id || '/' || track_id AS k, starts AS n FROM track_skips"))).toEqual(
      expected.starts,
    )
    expect(nonZero(byKey("SELECT user_id || '/' || track_id AS k, skips AS n FROM track_skips"))).toEqual(
      expected.skips,
    )
    expect(
      new Map(
        sqlite
          .all<{ u: number; n: number }>(
            'SELECT user_id AS u, count(*) AS n FROM listening_history GROUP BY 1',
          )
          .map((r) => [r.u, r.n]),
      ),
    ).toEqual(expected.history)
    const totalPlays = [...expected.plays.values()].reduce((a, b) => a + b, 0)
    expect(
      sqlite.all<{ n: number }>("SELECT sum(plays) AS n FROM play_counts_global WHERE kind = 'track'")[0]?.n,
    ).toBe(totalPlays)

    // And every consumer's whole state equals one clean, uninterrupted run over the same log.
    const refDir = tempDir('tonearm-fault-ref-')
    dirs.push(refDir)
    const ref = await openDatabase(refDir)
    const reference = domain(ref, refDir)
    const logged: { userId: number; events: EventInput[] }[] = []
    for await (const batch of producer.tail({
      after: 0,
      follow: false,
      signal: new AbortController().signal,
    }))
      for (const { offset, userId, source, receivedAt, at, ...e } of batch)
        logged.push({ userId, events: [e as EventInput] })
    reference.start()
    let refHead = 0
    for (const b of batches(logged)) refHead = reference.ingest(b.userId, b.events, 'api').head
    await reference.reached(refHead)
    await reference.stop()
    expect(consumerState(sqlite).coListens.length).toBeGreaterThan(0)
    expect(consumerState(sqlite)).toEqual(consumerState(ref))
    ref.close()
    sqlite.close()
  })

  it('serves the events API from the real server, refusing anonymous callers', async () => {
    const data = tempDir('tonearm-events-api-')
    const music = tempDir('tonearm-events-api-music-')
    dirs.push(data, music)
    const server = await start(fromSource, ['--data', data, '--music', music])
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [] }),
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect((await fetch(`${server.url}/api/stats/top`)).status).toBe(401)
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).toContain('/api/events/stream')
    expect(await lagOf(server)).toEqual(Array(CONSUMERS).fill(0))
    expect(await server.stop()).toBe(0)
  })
})
