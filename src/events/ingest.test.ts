import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { events as eventsTable } from '../db/schema/index.ts'
import { DomainError } from '../lib/errors.ts'
import type { Events } from './events.ts'
import type { LoggedEvent } from './schema.ts'
import { ev, listen, testDatabase, testEvents } from './test-support.ts'
import { parseBatch } from './validate.ts'

let t: Awaited<ReturnType<typeof testDatabase>>
let events: Events
beforeEach(async () => {
  t = await testDatabase()
  events = testEvents(t)
})
afterEach(() => t.cleanup())

const caught = (fn: () => unknown): DomainError => {
  try {
    fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a DomainError')
}

describe('ingest', () => {
  it('appends a batch with increasing offsets and ignores ids the user already sent', () => {
    const batch = [...listen('t1', 60_000), ...listen('t2', 10_000)]
    expect(events.ingest(1, batch, 'web')).toEqual({ accepted: 4, duplicates: 0, head: 4 })
    // The same batch again (a client retry), plus one new event: only the new one is stored.
    const retry = [...batch, ev('like', { trackId: 't1' })]
    expect(events.ingest(1, retry, 'web')).toEqual({ accepted: 1, duplicates: 4, head: 5 })
    // A duplicate inside one batch counts once.
    const twice = ev('skip', { trackId: 't3', positionMs: 1000 })
    expect(events.ingest(1, [twice, twice], 'api')).toMatchObject({ accepted: 1, duplicates: 1 })
    const rows = t.sqlite.db.select().from(eventsTable).all()
    expect(rows.map((r) => r.offset)).toEqual([1, 2, 3, 4, 5, 6])
    expect(rows[5]).toMatchObject({ type: 'skip', source: 'api', userId: 1, trackId: 't3', v: 1 })
    expect(JSON.parse(rows[5]?.payload ?? '')).toEqual({ positionMs: 1000 })
  })

  it('scopes event ids per user: the same id from another user is a different event', () => {
    const e = ev('like', { trackId: 't1' }, { eventId: 'shared-event-id' })
    expect(events.ingest(1, [e], 'web').accepted).toBe(1)
    expect(events.ingest(2, [e], 'web').accepted).toBe(1)
    expect(events.ingest(2, [e], 'web').duplicates).toBe(1)
  })

  it('reads back what was written, with the server receive time and the listening time', async () => {
    const clientTime = Date.now() - 60_000
    events.ingest(
      7,
      [ev('scrobble', { trackId: 't9', submission: true, time: clientTime - 5000 }, { clientTime })],
      'subsonic',
    )
    const it = events.tail({ after: 0, follow: false, signal: new AbortController().signal })
    const batch = (await it.next()).value ?? []
    expect(batch).toHaveLength(1)
    expect(batch[0]).toMatchObject({
      offset: 1,
      userId: 7,
      type: 'scrobble',
      trackId: 't9',
      submission: true,
      source: 'subsonic',
      at: clientTime - 5000,
    })
    expect(batch[0]?.receivedAt).toBeGreaterThanOrEqual(clientTime)
  })

  it('never dates a listen after the server received it, whatever the client clock says', async () => {
    const future = Date.now() + 3_600_000
    events.ingest(1, [ev('play_ended', { trackId: 't1', heardMs: 40_000 }, { clientTime: future })], 'web')
    const [e] =
      (await events.tail({ after: 0, follow: false, signal: new AbortController().signal }).next()).value ??
      []
    expect(e?.at).toBe(e?.receivedAt as number)
  })
})

describe('tail', () => {
  it('follows the log live and ends every tail at stop, so an open stream never holds up shutdown', async () => {
    const tail = events.tail({ after: 0, follow: true, signal: new AbortController().signal })
    const first = tail.next()
    events.ingest(1, [ev('like', { trackId: 't1' })], 'web')
    const got: LoggedEvent[] = (await first).value ?? []
    expect(got.map((e) => e.type)).toEqual(['like'])
    const waiting = tail.next()
    await events.stop()
    expect((await waiting).done).toBe(true)
  })
})

describe('batch validation', () => {
  it('names every bad field by its index and stores nothing (all or nothing)', () => {
    const err = caught(() =>
      parseBatch({
        events: [
          ev('play_ended', { trackId: 't1', heardMs: 1000 }),
          { ...ev('play_ended', { trackId: 't1', heardMs: 1000 }), heardMs: -5 },
          { ...ev('like', { trackId: 't1' }), type: 'love' },
          { ...ev('rate', { trackId: 't1', rating: 3 }), rating: 9, heardMS: 1 },
        ],
      }),
    )
    expect(err.kind).toBe('invalid')
    expect(err.message).toBe('events[1].heardMs: must not be negative (and 3 more problems)')
    expect(err.details?.errors).toEqual([
      { path: 'events[1].heardMs', message: 'must not be negative' },
      { path: 'events[2].type', message: expect.stringContaining('must be one of play_started, play_ended') },
      { path: 'events[3].rating', message: 'must be 0 to 5' },
      { path: 'events[3]', message: 'Unrecognized key: "heardMS"' },
    ])
    expect(events.head()).toBe(0)
  })

  it('rejects missing fields, bad ids, unknown schema versions and empty or oversized batches', () => {
    const base = ev('play_started', { trackId: 't1' })
    const cases: [unknown, string][] = [
      [{ events: [{ ...base, trackId: undefined }] }, 'events[0].trackId'],
      [{ events: [{ ...base, eventId: 'short' }] }, 'events[0].eventId'],
      [{ events: [{ ...base, eventId: 'has spaces in it' }] }, 'events[0].eventId'],
      [{ events: [{ ...base, v: 2 }] }, 'events[0].v'],
      [{ events: [{ ...base, clientTime: 1234 }] }, 'events[0].clientTime'],
      [{ events: [] }, 'events'],
      [{ events: Array.from({ length: 1001 }, () => ev('like', { trackId: 't' })) }, 'events'],
      [{ source: 'subsonic', events: [base] }, 'source'],
      [{}, 'events'],
    ]
    for (const [input, field] of cases) expect(caught(() => parseBatch(input)).details?.field).toBe(field)
  })

  it('fills the defaults of optional fields', () => {
    const {
      events: [search],
      source,
    } = parseBatch({ events: [{ ...ev('search', { query: 'miles' } as never) }] })
    expect(source).toBe('api')
    expect(search).toMatchObject({ type: 'search', query: 'miles', trackId: null, chosen: null })
  })
})
