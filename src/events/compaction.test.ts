import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { compact } from './compaction.ts'
import type { Consumer } from './consumer.ts'
import type { Events } from './events.ts'
import type { EventInput } from './schema.ts'
import { ev, listen, testDatabase, testEvents } from './test-support.ts'
import { DAY_MS, HOUR_MS } from './time.ts'

const START = Date.UTC(2031, 0, 1)
const DAYS = 60
let t: Awaited<ReturnType<typeof testDatabase>>
let clock: number

beforeEach(async () => {
  t = await testDatabase()
  clock = START
  for (const [id, durationMs] of [
    ['a', 240_000],
    ['b', 40_000],
    ['c', 180_000],
    ['d', 300_000],
  ] as const)
    t.catalog.add(id, {
      durationMs,
      albumId: id === 'd' ? null : `album-${id < 'c' ? 1 : 2}`,
      artistIds: [`artist-${id}`, 'artist-all'],
    })
})
afterEach(() => t.cleanup())

/** A deterministic mix of every event type over DAYS days, each day received on that day. */
function day(d: number): EventInput[] {
  const at = START + d * DAY_MS + (d % 24) * HOUR_MS
  const track = 'abcd'[d % 4] as string
  const out = [
    ...listen(track, 30_000 + (d % 5) * 20_000, at), // always a play
    ...listen('b', 10_000 + (d % 3) * 5_000, at + 1000), // a play only when ≥ half of 40 s
    ev('play_started', { trackId: 'c' }, { clientTime: at + 2000 }),
    ev('skip', { trackId: 'c', positionMs: 3000 }, { clientTime: at + 5000 }),
    ev('scrobble', { trackId: 'd', submission: true, time: at - 60_000 }, { clientTime: at + 6000 }),
    ev('search', { query: `q${d}`, trackId: null, chosen: { type: 'track', id: track } }, { clientTime: at }),
    ev('seek', { trackId: track, fromMs: 0, toMs: 9000 }, { clientTime: at }),
    ev(d % 3 === 0 ? 'unlike' : 'like', { trackId: track }, { clientTime: at + 7000 }),
    ev('rate', { trackId: track, rating: d % 6 }, { clientTime: at + 8000 }),
  ]
  // A track the catalog does not know, rated and liked only in the early (soon compacted) days.
  if (d < 10)
    out.push(
      ev(d % 2 ? 'like' : 'unlike', { trackId: 'e' }, { clientTime: at }),
      ev('rate', { trackId: 'e', rating: d % 6 }, { clientTime: at }),
      ...listen('e', 45_000, at),
    )
  return out
}

async function fill(events: Events) {
  let head = 0
  for (let d = 0; d < DAYS; d++) {
    clock = START + d * DAY_MS + 23 * HOUR_MS
    head = events.ingest(1 + (d % 2), day(d), 'web').head
    if (d % 7 === 0) head = events.ingest(3, listen('a', 60_000, clock - HOUR_MS), 'api').head
  }
  clock = START + DAYS * DAY_MS
  await events.reached(head)
  return head
}

/** Everything the counting consumers produced, and what the statistics API answers from it. */
function observable(events: Events) {
  const table = (name: string) => t.sqlite.all(`SELECT * FROM ${name} ORDER BY 1, 2, 3`)
  const stats = events.stats
  return {
    playCounts: table('play_counts'),
    global: table('play_counts_global'),
    daily: table('play_daily'),
    skips: table('track_skips'),
    feedback: table('track_feedback'),
    top: (['track', 'album', 'artist'] as const).flatMap((k) =>
      (['week', 'month', 'year', 'all'] as const).flatMap((p) => [
        stats.top(k, p, 'household'),
        stats.top(k, p, { userId: 1 }),
      ]),
    ),
    time: stats.listeningTime('all', 'household'),
    trending: (['hour', 'day', 'week'] as const).map((w) => stats.trending(w)),
  }
}

describe('compaction', () => {
  it('folds old events into aggregates without changing any count, even for consumers that replay from 0', async () => {
    const events = testEvents(t, { now: () => clock })
    events.start()
    const head = await fill(events)
    const before = observable(events)
    expect(before.playCounts.length).toBeGreaterThan(10)

    const result = events.compact()
    // Retention is 30 days: the first ~30 days of the 60 are now aggregates only.
    expect(result.compacted).toBeGreaterThan(250)
    expect(result.watermark).toBeLessThan(head)
    expect(events.watermark()).toBe(result.watermark)
    const [{ n }] = t.sqlite.all<{ n: number }>('SELECT count(*) AS n FROM events') as [{ n: number }]
    expect(n).toBe(head - result.watermark)
    expect(observable(events)).toEqual(before)

    for (const name of ['plays', 'skips', 'trending', 'feedback', 'now-playing', 'history'])
      events.rebuild(name)
    await events.reached(head)
    expect(observable(events)).toEqual(before)
    // History keeps individual plays only from the raw log: a rebuilt history starts at the watermark.
    const [h] = t.sqlite.all<{ first: number }>('SELECT min(event_offset) AS first FROM listening_history')
    expect(h?.first).toBeGreaterThan(result.watermark)
    await events.stop()
  })

  it('gives a consumer added after compaction the aggregates first, then the raw events after the watermark', async () => {
    const first = testEvents(t, { now: () => clock })
    first.start()
    const head = await fill(first)
    const { watermark } = first.compact()
    await first.stop()

    const calls: string[] = []
    const late: Consumer = {
      name: 'late',
      applySnapshot: (_tx, rows) => void calls.push(`snapshot:${rows.reduce((n, r) => n + r.plays, 0)}`),
      apply: (_tx, batch) => void calls.push(`raw:${batch[0]?.offset}`),
    }
    const second = testEvents(t, { now: () => clock, extraConsumers: [late] })
    second.start()
    await second.reached(head)
    await second.stop()
    const plays = t.sqlite.all<{ n: number }>('SELECT sum(plays) AS n FROM event_aggregates')[0]?.n
    expect(calls[0]).toBe(`snapshot:${plays}`)
    expect(calls[1]).toBe(`raw:${watermark + 1}`)
  })

  it('compacts only what every consumer has passed, and only events older than the retention', async () => {
    const stuck: Consumer = {
      name: 'stuck',
      apply() {
        throw new Error('never gets anywhere')
      },
    }
    const events = testEvents(t, {
      now: () => clock,
      extraConsumers: [stuck],
      runner: { backoffBaseMs: 5_000 },
    })
    events.start()
    for (let d = 0; d < 10; d++) {
      clock = START + d * DAY_MS
      events.ingest(1, day(d), 'web')
    }
    clock = START + 100 * DAY_MS
    expect(events.compact().compacted).toBe(0)
    await events.stop()

    const opts = {
      consumers: ['plays'],
      resolveTrack: t.catalog.resolveTrack,
      rule: { minMs: 30_000, fraction: 0.5 },
    }
    t.sqlite.exec("INSERT OR REPLACE INTO event_consumers (name, checkpoint) VALUES ('plays', 1000)")
    // Events received before day 4 only, in chunks of 7 so ingestion is never held up for long.
    const r = compact(t.sqlite.db, { ...opts, cutoff: START + 4 * DAY_MS, chunk: 7 })
    expect(r.compacted).toBe(day(0).length * 4)
    expect(compact(t.sqlite.db, { ...opts, cutoff: START + 4 * DAY_MS }).compacted).toBe(0)
  })

  it('refuses to rebuild the scrobble forwarder, which would submit old listens again', async () => {
    const events = testEvents(t)
    expect(() => events.rebuild('scrobble')).toThrow(DomainError)
    expect(() => events.rebuild('nope')).toThrow('no consumer named nope')
  })
})
