import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import type { Events } from './events.ts'
import type { EventInput } from './schema.ts'
import { ev, listen, testDatabase, testEvents } from './test-support.ts'
import { DAY_MS, HOUR_MS } from './time.ts'

let t: Awaited<ReturnType<typeof testDatabase>>
let events: Events
let clock = Date.UTC(2031, 4, 15, 12, 0, 0)
beforeEach(async () => {
  t = await testDatabase()
  clock = Date.UTC(2031, 4, 15, 12, 0, 0)
  events = testEvents(t, { now: () => clock })
  t.catalog.add('long', { durationMs: 300_000, albumId: 'a1', artistIds: ['x', 'y'] })
  t.catalog.add('short', { durationMs: 40_000, albumId: 'a1', artistIds: ['x'] })
  t.catalog.add('other', { durationMs: 200_000, albumId: 'a2', artistIds: ['y'] })
  events.start()
})
afterEach(async () => {
  await events.stop()
  t.cleanup()
})

async function send(userId: number, batch: EventInput[], source: 'web' | 'subsonic' = 'web') {
  const r = events.ingest(userId, batch, source)
  await events.reached(r.head)
  return r
}

describe('play counts', () => {
  it('counts a play when heard ≥ 30 s or ≥ half the track, and only then', async () => {
    await send(1, [
      ...listen('long', 30_000, clock), // 30 s of 5 min: a play
      ...listen('long', 29_999, clock), // just under both thresholds: not a play
      ...listen('short', 20_000, clock), // half of a 40 s track: a play
      ...listen('short', 19_000, clock), // under half and under 30 s: not a play
    ])
    const top = events.stats.top('track', 'all', { userId: 1 })
    expect(top).toEqual([
      { id: 'long', plays: 1, heardMs: 59_999, lastPlayedAt: clock },
      { id: 'short', plays: 1, heardMs: 39_000, lastPlayedAt: clock },
    ])
  })

  it('rolls plays up to albums and every artist, per user and for the household', async () => {
    await send(1, [...listen('long', 60_000, clock - 1000), ...listen('short', 40_000, clock)])
    await send(2, [...listen('other', 100_000, clock)])
    expect(events.stats.top('album', 'all', { userId: 1 }).map((i) => [i.id, i.plays])).toEqual([['a1', 2]])
    expect(events.stats.top('artist', 'all', { userId: 1 }).map((i) => [i.id, i.plays])).toEqual([
      ['x', 2],
      ['y', 1],
    ])
    expect(events.stats.top('artist', 'all', 'household').map((i) => [i.id, i.plays])).toEqual([
      ['y', 2],
      ['x', 2],
    ])
    expect(
      events.stats.top('album', 'week', 'household').map((i) => [i.id, i.plays, i.lastPlayedAt]),
    ).toEqual([
      ['a1', 2, clock],
      ['a2', 1, clock],
    ])
  })

  it('counts a Subsonic scrobble with submission=true once, and submission=false not at all', async () => {
    const played = ev(
      'scrobble',
      { trackId: 'other', submission: true, time: clock - 200_000 },
      { clientTime: clock },
    )
    await send(
      1,
      [ev('scrobble', { trackId: 'other', submission: false, time: clock - 200_000 }), played],
      'subsonic',
    )
    await send(1, [played], 'subsonic') // the client retried
    expect(events.stats.top('track', 'all', { userId: 1 })).toEqual([
      { id: 'other', plays: 1, heardMs: 200_000, lastPlayedAt: clock - 200_000 },
    ])
    expect(events.stats.history(1).items).toEqual([
      {
        trackId: 'other',
        deviceId: 'phone',
        playedAt: clock - 200_000,
        heardMs: 200_000,
        source: 'subsonic',
      },
    ])
  })

  it('charts a period from the days inside it only', async () => {
    await send(1, [
      ...listen('long', 60_000, clock - 10 * DAY_MS),
      ...listen('other', 60_000, clock - 2 * DAY_MS),
    ])
    expect(events.stats.top('track', 'week', { userId: 1 }).map((i) => i.id)).toEqual(['other'])
    expect(events.stats.top('track', 'month', { userId: 1 }).map((i) => i.id)).toEqual(['long', 'other'])
    const time = events.stats.listeningTime('month', { userId: 1 })
    expect(time.heardMs).toBe(120_000)
    expect(time.plays).toBe(2)
    expect(time.days.map((d) => d.day)).toEqual(['2031-05-05', '2031-05-13'])
    expect(events.stats.listeningTime('week', 'household').heardMs).toBe(60_000)
    expect(events.stats.listeningTime('week', { userId: 2 })).toEqual({ heardMs: 0, plays: 0, days: [] })
  })
})

describe('history', () => {
  it('lists counted plays newest first, one private page at a time', async () => {
    const batch = Array.from({ length: 7 }, (_, i) => listen('long', 45_000, clock - i * 60_000)).flat()
    await send(1, [...batch, ...listen('short', 1000, clock)])
    await send(2, listen('other', 60_000, clock))
    const first = events.stats.history(1, { limit: 3 })
    expect(first.items.map((e) => e.playedAt)).toEqual([clock, clock - 60_000, clock - 120_000])
    const second = events.stats.history(1, { limit: 3, cursor: first.nextCursor as string })
    const third = events.stats.history(1, { limit: 3, cursor: second.nextCursor as string })
    expect([...first.items, ...second.items, ...third.items]).toHaveLength(7)
    expect(third.nextCursor).toBeNull()
    expect(events.stats.history(2).items.map((e) => e.trackId)).toEqual(['other'])
    expect(() => events.stats.history(1, { cursor: 'bm9wZQ' })).toThrow('cursor: not a cursor')
  })
})

describe('skips, trending, likes and now playing', () => {
  it('rates skips against starts', async () => {
    await send(1, [
      ev('play_started', { trackId: 'long' }),
      ev('skip', { trackId: 'long', positionMs: 4000 }),
      ...listen('long', 60_000, clock),
      ev('play_started', { trackId: 'other' }),
      ev('skip', { trackId: 'other', positionMs: 1000 }),
    ])
    expect(events.stats.skips('household')).toEqual([
      { trackId: 'other', starts: 1, skips: 1, plays: 0, skipRate: 1 },
      { trackId: 'long', starts: 2, skips: 1, plays: 1, skipRate: 0.5 },
    ])
  })

  it('ranks trending tracks over the last hour, day and week', async () => {
    await send(1, [
      ...listen('long', 60_000, clock - 10 * 60_000),
      ...listen('short', 60_000, clock - 5 * HOUR_MS),
      ...listen('short', 60_000, clock - 6 * HOUR_MS),
      ...listen('other', 60_000, clock - 3 * DAY_MS),
      ...listen('other', 60_000, clock - 4 * DAY_MS),
      ...listen('other', 60_000, clock - 5 * DAY_MS),
      ...listen('other', 60_000, clock - 9 * DAY_MS), // older than a week: never trending
    ])
    expect(events.stats.trending('hour')).toEqual([{ trackId: 'long', plays: 1 }])
    expect(events.stats.trending('day')).toEqual([
      { trackId: 'short', plays: 2 },
      { trackId: 'long', plays: 1 },
    ])
    expect(events.stats.trending('week').map((r) => [r.trackId, r.plays])).toEqual([
      ['other', 3],
      ['short', 2],
      ['long', 1],
    ])
  })

  it('keeps the like and rating the user gave last, even when an older one arrives later', async () => {
    await send(1, [
      ev('like', { trackId: 'long' }, { clientTime: clock - 1000 }),
      ev('rate', { trackId: 'long', rating: 4 }),
    ])
    // An offline phone replays an unlike from before the like, and a newer rating.
    await send(1, [
      ev('unlike', { trackId: 'long' }, { clientTime: clock - 5000 }),
      ev('rate', { trackId: 'long', rating: 2 }, { clientTime: clock + 1 }),
    ])
    const [row] = t.sqlite.all<{ liked: number; rating: number }>('SELECT liked, rating FROM track_feedback')
    expect(row).toEqual({ liked: 1, rating: 2 })
  })

  it('shows what each device plays until it ends, moves or runs past its length', async () => {
    await send(1, [ev('play_started', { trackId: 'long' }, { clientTime: clock - 1000, deviceId: 'phone' })])
    await send(2, [ev('play_started', { trackId: 'short' }, { clientTime: clock - 1000, deviceId: 'web' })])
    expect(events.stats.nowPlaying().map((p) => [p.userId, p.deviceId, p.trackId, p.positionMs])).toEqual([
      [1, 'phone', 'long', 1000],
      [2, 'web', 'short', 1000],
    ])
    await send(1, [
      ev(
        'device_transfer',
        { trackId: 'long', fromDevice: 'phone', toDevice: 'speaker' },
        { clientTime: clock },
      ),
    ])
    await send(2, [
      ev('play_ended', { trackId: 'short', heardMs: 1000 }, { deviceId: 'web', clientTime: clock }),
    ])
    expect(events.stats.nowPlaying().map((p) => [p.userId, p.deviceId])).toEqual([[1, 'speaker']])
    clock += 300_000 // the 5-minute track is over even though no end arrived
    expect(events.stats.nowPlaying()).toEqual([])
  })

  it('follows the playhead through pauses, resumes and seeks, and keeps a paused device for half an hour', async () => {
    const at = (ms: number) => ({ clientTime: clock + ms, deviceId: 'phone' })
    const shown = () => events.stats.nowPlaying().map((p) => [p.trackId, p.state, p.positionMs])
    await send(1, [ev('play_started', { trackId: 'long' }, at(-60_000))])
    await send(1, [ev('pause', { trackId: 'long', positionMs: 60_000 }, at(0))])
    clock += 10 * 60_000 // paused for ten minutes: longer than what was left of the track
    expect(shown()).toEqual([['long', 'paused', 60_000]])
    await send(1, [ev('resume', { trackId: 'long', positionMs: 60_000 }, at(0))])
    clock += 5_000
    expect(shown()).toEqual([['long', 'playing', 65_000]])
    await send(1, [ev('seek', { trackId: 'long', fromMs: 65_000, toMs: 200_000 }, at(0))])
    expect(shown()).toEqual([['long', 'playing', 200_000]])
    // A pause for another track (an old report arriving late) changes nothing.
    await send(1, [ev('pause', { trackId: 'short', positionMs: 1_000 }, at(0))])
    await send(1, [ev('pause', { trackId: 'long', positionMs: 200_000 }, at(0))])
    await send(1, [ev('seek', { trackId: 'long', fromMs: 200_000, toMs: 10_000 }, at(1_000))])
    clock += 29 * 60_000
    expect(shown()).toEqual([['long', 'paused', 10_000]])
    clock += 60_000 // half an hour paused: most likely closed without saying so
    expect(shown()).toEqual([])
    await send(1, [ev('resume', { trackId: 'long', positionMs: 10_000 }, at(0))])
    expect(shown()).toEqual([['long', 'playing', 10_000]])
  })

  it('takes a resume with no start it knows as the device playing that track there', async () => {
    await send(1, [
      ev('resume', { trackId: 'other', positionMs: 90_000 }, { clientTime: clock, deviceId: 'car' }),
    ])
    clock += 1_000
    expect(events.stats.nowPlaying().map((p) => [p.deviceId, p.trackId, p.state, p.positionMs])).toEqual([
      ['car', 'other', 'playing', 91_000],
    ])
    // A start counted nowhere: the resume says where the playhead is, not that a listen began.
    expect(t.sqlite.all<{ starts: number }>('SELECT starts FROM track_skips')).toEqual([])
  })
})
