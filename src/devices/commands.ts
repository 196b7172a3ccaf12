import { invalid } from '../lib/errors.ts'
import { ends, nextIndex, orderAfterInsert, previousIndex, type Random, shuffledOrder } from './queue.ts'
import { type Command, LIMITS } from './schemas.ts'
import type { PlaybackState } from './types.ts'

// Playback as a pure function: (state, command) → next state. No clock, no storage, no devices:
// the caller supplies the time, who asks, and where playback may start, so every rule here can be
// tested with plain values.

export interface CommandContext {
  now: number
  /** Device id (or client name) recorded as `changedBy`. */
  by: string
  random: Random
  /**
   * Where a play starts: the active device when it is connected, else the asking device when it
   * plays audio, else null (nowhere to play).
   */
  startDevice: string | null
}

/** A restart of `previous` rather than a step back, past this far into the track (as players do). */
const RESTART_THRESHOLD_MS = 3000

export function initialState(now: number): PlaybackState {
  return {
    version: 0,
    activeDeviceId: null,
    queue: [],
    index: -1,
    trackId: null,
    positionMs: 0,
    observedAt: now,
    playing: false,
    volume: 100,
    shuffle: false,
    order: null,
    repeat: 'off',
    changedBy: null,
    changedAt: now,
    transfer: null,
  }
}

/** Where playback is at server time `t`: the observed position plus the time played since. */
export function positionAt(s: PlaybackState, t: number): number {
  const played = s.playing ? Math.max(0, t - s.observedAt) : 0
  return Math.min(s.positionMs + played, LIMITS.positionMs)
}

export function applyCommand(s: PlaybackState, cmd: Command, ctx: CommandContext): PlaybackState {
  const length = s.queue.length
  // Every change re-observes the position now, so positionMs + observedAt stay the whole truth.
  const base: PlaybackState = {
    ...s,
    version: s.version + 1,
    changedBy: ctx.by,
    changedAt: ctx.now,
    positionMs: positionAt(s, ctx.now),
    observedAt: ctx.now,
    transfer: null,
  }
  switch (cmd.action) {
    case 'play': {
      requireTrack(s)
      const where = requireStart(ctx)
      if (cmd.index === undefined) {
        return {
          ...base,
          playing: true,
          activeDeviceId: where,
          positionMs: cmd.positionMs ?? base.positionMs,
        }
      }
      checkIndex(cmd.index, length)
      return at({ ...base, playing: true, activeDeviceId: where }, cmd.index, cmd.positionMs ?? 0)
    }
    case 'pause':
      return { ...base, playing: false }
    case 'seek':
      requireTrack(s)
      return { ...base, positionMs: cmd.positionMs }
    case 'next': {
      requireTrack(s)
      if (cmd.auto && s.repeat === 'one') return { ...base, positionMs: 0 }
      const i = nextIndex(s.order, length, s.index)
      if (i >= 0) return at(base, i, 0)
      // Past the end: repeat wraps around; otherwise the queue is finished and rests at its start.
      const { first } = ends(s.order, length)
      return s.repeat === 'off' ? at({ ...base, playing: false }, first, 0) : at(base, first, 0)
    }
    case 'previous': {
      requireTrack(s)
      if (base.positionMs > RESTART_THRESHOLD_MS) return { ...base, positionMs: 0 }
      const i = previousIndex(s.order, s.index)
      if (i >= 0) return at(base, i, 0)
      return s.repeat === 'off' ? { ...base, positionMs: 0 } : at(base, ends(s.order, length).last, 0)
    }
    case 'setQueue': {
      const n = cmd.trackIds.length
      const index = n === 0 ? -1 : (cmd.index ?? 0)
      if (n > 0) checkIndex(index, n)
      const order = s.shuffle ? shuffledOrder(n, index, ctx.random) : null
      const playing = (cmd.play ?? s.playing) && n > 0
      const where = playing ? (cmd.play ? requireStart(ctx) : ctx.startDevice) : s.activeDeviceId
      const next = { ...base, queue: [...cmd.trackIds], order, activeDeviceId: where }
      return at({ ...next, playing: playing && where !== null }, index, cmd.positionMs ?? 0)
    }
    case 'addToQueue': {
      const n = cmd.trackIds.length
      if (length + n > LIMITS.queueTracks)
        throw invalid(`the queue holds at most ${LIMITS.queueTracks} tracks; it has ${length}`, {
          field: 'trackIds',
        })
      const insertAt = cmd.next && length > 0 ? s.index + 1 : length
      const queue = [...s.queue.slice(0, insertAt), ...cmd.trackIds, ...s.queue.slice(insertAt)]
      const order = s.order
        ? orderAfterInsert(s.order, insertAt, n, s.index, cmd.next ?? false, ctx.random)
        : null
      if (length === 0) return at({ ...base, queue, order }, order ? (order[0] as number) : 0, 0)
      // The current track keeps playing; only its index moves if tracks went in before it.
      const index = s.index >= insertAt ? s.index + n : s.index
      return { ...base, queue, order, index }
    }
    case 'volume':
      return { ...base, volume: cmd.volume }
    case 'shuffle': {
      if (cmd.on === s.shuffle) return base
      const order = cmd.on ? shuffledOrder(length, s.index, ctx.random) : null
      return { ...base, shuffle: cmd.on, order }
    }
    case 'repeat':
      return { ...base, repeat: cmd.mode }
    case 'transfer': {
      const playing = (cmd.play ?? s.playing) && length > 0
      return {
        ...base,
        activeDeviceId: cmd.deviceId,
        playing,
        transfer: { from: s.activeDeviceId, to: cmd.deviceId, at: ctx.now },
      }
    }
  }
}

function at(s: PlaybackState, index: number, positionMs: number): PlaybackState {
  return { ...s, index, trackId: s.queue[index] ?? null, positionMs }
}

function requireTrack(s: PlaybackState): void {
  if (s.index < 0) throw invalid('nothing to play: the queue is empty')
}

function requireStart(ctx: CommandContext): string {
  if (ctx.startDevice === null)
    throw invalid('no device to play on: connect a device that plays audio, or transfer to one')
  return ctx.startDevice
}

function checkIndex(index: number, length: number): void {
  if (index >= length)
    throw invalid(`index ${index} is past the end of the queue (${length} tracks)`, { field: 'index' })
}
