import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { Registry } from 'prom-client'
import { createLogger } from '../lib/logger.ts'
import type { Consumer } from './consumer.ts'
import { createRunner } from './runner.ts'
import { ev, listen, testDatabase, testEvents } from './test-support.ts'

let t: Awaited<ReturnType<typeof testDatabase>>
beforeEach(async () => {
  t = await testDatabase()
  t.catalog.add('t1')
  t.sqlite.exec(
    'CREATE TABLE seen (consumer TEXT, event_offset INTEGER, PRIMARY KEY (consumer, event_offset))',
  )
})
afterEach(() => t.cleanup())

/** A consumer that records every offset it applies, in its own table (a read model of its own). */
function recorder(
  name: string,
  behave: { failTimes?: number; busyMs?: number } = {},
): Consumer & { calls: number } {
  let failures = behave.failTimes ?? 0
  const c = {
    name,
    calls: 0,
    apply(_tx: unknown, batch: readonly { offset: number }[]) {
      c.calls++
      if (behave.busyMs) {
        const until = performance.now() + behave.busyMs
        while (performance.now() < until) {
          // A consumer that is slow because it computes a lot: it holds the thread.
        }
      }
      for (const e of batch) t.sqlite.all('INSERT INTO seen VALUES (?, ?)', name, e.offset)
      if (failures > 0) {
        failures--
        throw new Error(`${name} failed on purpose`)
      }
    },
  }
  return c
}

const seen = (name: string) =>
  t.sqlite
    .all<{ o: number }>('SELECT event_offset AS o FROM seen WHERE consumer = ? ORDER BY 1', name)
    .map((r) => r.o)
const until = async (ok: () => boolean) => {
  while (!ok()) await Bun.sleep(2)
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe('consumer runner', () => {
  it('keeps a failing consumer from blocking the others and retries it until it applies each event once', async () => {
    const registry = new Registry()
    const failing = recorder('failing', { failTimes: 3 })
    const events = testEvents(t, {
      registry,
      extraConsumers: [failing, recorder('steady')],
      runner: { pollMs: 10, batchSize: 4, backoffBaseMs: 150, backoffMaxMs: 150 },
    })
    events.start()
    const r = events.ingest(
      1,
      Array.from({ length: 10 }, () => ev('like', { trackId: 't1' })),
      'api',
    )
    // While "failing" is in backoff, "steady" and the built-in consumers finish everything.
    await until(() => seen('steady').length === 10)
    expect(seen('steady')).toEqual(range(10))
    expect(events.checkpoints().failing).toBe(0)
    const metrics = await registry.metrics()
    expect(metrics).toContain('tonearm_events_consumer_lag{consumer="failing"} 10')
    expect(metrics).toContain('tonearm_events_consumer_lag{consumer="steady"} 0')
    expect(metrics).toMatch(/tonearm_events_consumer_failures_total\{consumer="failing"\} [1-3]/)
    await events.reached(r.head)
    // Its failed attempts rolled back with their transactions: each event is recorded exactly once.
    expect(seen('failing')).toEqual(range(10))
    expect(failing.calls).toBe(3 + 3) // three failures, then three batches of at most four
    await events.stop()
  })

  it('interleaves a slow consumer with the others instead of letting it drain its backlog first', async () => {
    const runner = createRunner({
      db: t.sqlite.db,
      consumers: [recorder('slow', { busyMs: 20 }), recorder('fast')],
      logger: createLogger('silent'),
      registry: new Registry(),
      options: { batchSize: 5, pollMs: 10 },
    })
    const advances: string[] = []
    runner.onAdvance((name) => advances.push(name))
    runner.start()
    // Ingestion is a transaction of its own: it never waits for any consumer.
    const events = testEvents(t)
    const { head } = events.ingest(
      1,
      Array.from({ length: 40 }, () => ev('like', { trackId: 't1' })),
      'api',
    )
    runner.wake()
    await runner.reached(head)
    await runner.stop()
    const slowSteps = advances.flatMap((name, i) => (name === 'slow' ? [i] : []))
    // "fast" had its first batch applied before "slow" took its second, and so on: turns alternate.
    expect(slowSteps.length).toBeGreaterThanOrEqual(8)
    expect(advances.indexOf('fast')).toBeLessThan(slowSteps[1] as number)
    expect(seen('slow')).toEqual(range(40))
    expect(seen('fast')).toEqual(range(40))
  })

  it('resumes from the checkpoint after a restart, applying nothing twice', async () => {
    const first = testEvents(t, { extraConsumers: [recorder('r')], runner: { batchSize: 3 } })
    first.start()
    await first.reached(first.ingest(1, listen('t1', 60_000), 'web').head)
    await first.stop()
    first.ingest(1, listen('t1', 60_000), 'web')

    const second = testEvents(t, { extraConsumers: [recorder('r')] })
    second.start()
    await second.reached(second.ingest(1, listen('t1', 60_000), 'web').head)
    expect(seen('r')).toEqual(range(6))
    expect(second.stats.top('track', 'all', { userId: 1 })[0]?.plays).toBe(3)
    await second.stop()
  })

  it('starts a new consumer at offset 0 and replays the whole log', async () => {
    const events = testEvents(t)
    events.start()
    await events.reached(events.ingest(1, [...listen('t1', 60_000), ...listen('t1', 45_000)], 'web').head)
    await events.stop()

    const later = testEvents(t, { extraConsumers: [recorder('latecomer')] })
    later.start()
    await later.reached(4)
    expect(seen('latecomer')).toEqual(range(4))
    await later.stop()
  })

  it('stops between steps, never inside a transaction', async () => {
    const runner = createRunner({
      db: t.sqlite.db,
      consumers: [recorder('busy', { busyMs: 5 })],
      logger: createLogger('silent'),
      registry: new Registry(),
      options: { batchSize: 1, pollMs: 10 },
    })
    const events = testEvents(t)
    events.ingest(
      1,
      Array.from({ length: 50 }, () => ev('like', { trackId: 't1' })),
      'api',
    )
    runner.start()
    await Bun.sleep(20)
    await runner.stop()
    const applied = seen('busy')
    expect(applied.length).toBeGreaterThan(0)
    expect(applied.length).toBeLessThan(50)
    const [row] = t.sqlite.all<{ checkpoint: number }>(
      "SELECT checkpoint FROM event_consumers WHERE name = 'busy'",
    )
    expect(row?.checkpoint).toBe(applied.length)
  })
})
