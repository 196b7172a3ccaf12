import { describe, expect, it } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { applyCommand, type CommandContext, initialState, positionAt } from './commands.ts'
import { type Command, commandSchema } from './schemas.ts'
import type { PlaybackState } from './types.ts'

// The playback rules as plain values: a state, a command, a clock reading, and where play may start.

const T0 = 1_700_000_000_000
// A fixed "random" makes shuffles reproducible: 0.5 always picks the middle.
const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({
  now: T0,
  by: 'phone-0001',
  random: () => 0.5,
  startDevice: 'phone-0001',
  ...over,
})
const cmd = (c: unknown) => commandSchema.parse(c) as Command
const run = (s: PlaybackState, c: unknown, over: Partial<CommandContext> = {}) =>
  applyCommand(s, cmd(c), ctx(over))
const queued = (ids = [11, 12, 13, 14], over: Partial<PlaybackState> = {}) => ({
  ...run(initialState(T0), { action: 'setQueue', trackIds: ids }),
  ...over,
})
const fails = (f: () => unknown, message: RegExp) => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    expect((err as DomainError).kind).toBe('invalid')
    expect((err as Error).message).toMatch(message)
    return
  }
  throw new Error('expected an invalid error')
}

describe('playback commands', () => {
  it('every change raises the version and records who made it and when', () => {
    const s = queued()
    const next = run(s, { action: 'volume', volume: 40 }, { now: T0 + 5, by: 'laptop-01' })
    expect(next).toMatchObject({
      version: s.version + 1,
      volume: 40,
      changedBy: 'laptop-01',
      changedAt: T0 + 5,
    })
  })

  it('extrapolates the position while playing and freezes it on pause', () => {
    const playing = run(queued(), { action: 'play' })
    expect(playing).toMatchObject({ playing: true, activeDeviceId: 'phone-0001', positionMs: 0 })
    expect(positionAt(playing, T0 + 42_000)).toBe(42_000)
    const paused = run(playing, { action: 'pause' }, { now: T0 + 42_000 })
    expect(paused).toMatchObject({ playing: false, positionMs: 42_000, observedAt: T0 + 42_000 })
    expect(positionAt(paused, T0 + 99_000)).toBe(42_000)
  })

  it('play keeps a connected active device and refuses when there is nowhere to play', () => {
    const onSpeaker = run(queued(), { action: 'play' }, { startDevice: 'speaker-01' })
    expect(onSpeaker.activeDeviceId).toBe('speaker-01')
    fails(() => run(queued(), { action: 'play' }, { startDevice: null }), /no device to play on/)
    fails(() => run(initialState(T0), { action: 'play' }), /queue is empty/)
  })

  it('play with an index jumps there from the start, or from a given position', () => {
    expect(run(queued(), { action: 'play', index: 2 })).toMatchObject({
      index: 2,
      trackId: 13,
      positionMs: 0,
    })
    expect(run(queued(), { action: 'play', index: 1, positionMs: 5000.4 })).toMatchObject({
      trackId: 12,
      positionMs: 5000,
    })
    fails(() => run(queued(), { action: 'play', index: 4 }), /past the end of the queue \(4 tracks\)/)
  })

  it('next and previous walk the queue; previous restarts a track that is more than 3 s in', () => {
    let s = run(queued(), { action: 'play' })
    s = run(s, { action: 'next' })
    expect(s).toMatchObject({ index: 1, trackId: 12, positionMs: 0, playing: true })
    s = run(s, { action: 'seek', positionMs: 10_000 })
    expect(run(s, { action: 'previous' })).toMatchObject({ index: 1, positionMs: 0 })
    s = run(s, { action: 'seek', positionMs: 1000 })
    expect(run(s, { action: 'previous' })).toMatchObject({ index: 0, trackId: 11 })
  })

  it('at the end of the queue: stop at its start, wrap with repeat all, replay with repeat one', () => {
    const last = run(queued(), { action: 'play', index: 3 })
    expect(run(last, { action: 'next' })).toMatchObject({ index: 0, playing: false, positionMs: 0 })
    const all = run(last, { action: 'repeat', mode: 'all' })
    expect(run(all, { action: 'next' })).toMatchObject({ index: 0, playing: true })
    const one = run(last, { action: 'repeat', mode: 'one' }, { now: T0 + 1000 })
    // The track ending by itself replays it; a listener pressing next still moves on.
    expect(run(one, { action: 'next', auto: true }, { now: T0 + 9000 })).toMatchObject({
      index: 3,
      positionMs: 0,
    })
    expect(run(one, { action: 'next' })).toMatchObject({ index: 0 })
  })

  it('shuffle plays every track once, starting from the current one, and keeps it playing', () => {
    const s = run(run(queued([1, 2, 3, 4, 5, 6]), { action: 'play', index: 2 }), {
      action: 'shuffle',
      on: true,
    })
    expect(s).toMatchObject({ shuffle: true, index: 2, trackId: 3 })
    expect(s.order?.[0]).toBe(2)
    expect([...(s.order ?? [])].sort()).toEqual([0, 1, 2, 3, 4, 5])
    const visited = [s.trackId]
    let t = s
    for (let i = 0; i < 5; i++) {
      t = run(t, { action: 'next' })
      visited.push(t.trackId)
    }
    expect([...visited].sort()).toEqual([1, 2, 3, 4, 5, 6])
    expect(run(t, { action: 'shuffle', on: false })).toMatchObject({ shuffle: false, order: null })
  })

  it('addToQueue appends, or inserts after the current track without interrupting it', () => {
    const s = run(queued([1, 2, 3]), { action: 'play', index: 1 })
    expect(run(s, { action: 'addToQueue', trackIds: [9] })).toMatchObject({ queue: [1, 2, 3, 9], index: 1 })
    const next = run(s, { action: 'addToQueue', trackIds: [8, 9], next: true })
    expect(next).toMatchObject({ queue: [1, 2, 8, 9, 3], index: 1, trackId: 2 })
    expect(run(next, { action: 'next' }).trackId).toBe(8)
    const empty = run(initialState(T0), { action: 'addToQueue', trackIds: [5, 6] })
    expect(empty).toMatchObject({ queue: [5, 6], index: 0, trackId: 5, playing: false })
  })

  it('addToQueue under shuffle keeps the order a permutation and honours play-next', () => {
    const s = run(run(queued([1, 2, 3, 4]), { action: 'play', index: 1 }), { action: 'shuffle', on: true })
    const added = run(s, { action: 'addToQueue', trackIds: [7], next: true })
    expect(added.trackId).toBe(2)
    expect([...(added.order ?? [])].sort()).toEqual([0, 1, 2, 3, 4])
    expect(run(added, { action: 'next' }).trackId).toBe(7)
    const appended = run(s, { action: 'addToQueue', trackIds: [8, 9] })
    expect([...(appended.order ?? [])].sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(appended.order?.[0]).toBe(1)
  })

  it('setQueue replaces the queue and, when asked, plays it', () => {
    const playing = run(queued(), { action: 'play' })
    const s = run(playing, { action: 'setQueue', trackIds: [21, 22], index: 1, positionMs: 3000 })
    expect(s).toMatchObject({ queue: [21, 22], index: 1, trackId: 22, positionMs: 3000, playing: true })
    const cleared = run(playing, { action: 'setQueue', trackIds: [] })
    expect(cleared).toMatchObject({ queue: [], index: -1, trackId: null, playing: false })
    fails(() => run(cleared, { action: 'seek', positionMs: 1 }), /queue is empty/)
  })

  it('transfer moves playback to the target at the extrapolated position and records the handoff', () => {
    const playing = run(queued(), { action: 'play', positionMs: 10_000 })
    const moved = run(
      playing,
      { action: 'transfer', deviceId: 'laptop-01' },
      { now: T0 + 2500, by: 'laptop-01' },
    )
    expect(moved).toMatchObject({
      activeDeviceId: 'laptop-01',
      playing: true,
      positionMs: 12_500,
      observedAt: T0 + 2500,
      transfer: { from: 'phone-0001', to: 'laptop-01', at: T0 + 2500 },
    })
    // The transfer marker belongs to that one version.
    expect(run(moved, { action: 'volume', volume: 5 }).transfer).toBeNull()
    expect(run(playing, { action: 'transfer', deviceId: 'tv-000001', play: false }).playing).toBe(false)
  })

  it('the schema refuses unknown fields, wrong types and out-of-range values', () => {
    for (const bad of [
      { action: 'seek' },
      { action: 'seek', positionMs: -1 },
      { action: 'volume', volume: 101 },
      { action: 'pause', extra: true },
      { action: 'repeat', mode: 'sometimes' },
      { action: 'transfer', deviceId: '../../x' },
      { action: 'setQueue', trackIds: [1.5] },
      { action: 'setQueue', trackIds: Array.from({ length: 5001 }, (_, i) => i + 1) },
      { action: 'dance' },
    ])
      expect(commandSchema.safeParse(bad).success).toBe(false)
  })
})
