import { DomainError, invalid, notFound } from '../lib/errors.ts'
import { applyCommand, initialState, positionAt } from './commands.ts'
import { createHandoffs } from './handoff.ts'
import type { Random } from './queue.ts'
import type { Registry } from './registry.ts'
import { audioReportSchema, commandSchema, parseOrThrow } from './schemas.ts'
import type { DeviceStore } from './store.ts'
import type { LiveHub } from './topics.ts'
import type { Handoff, PlaybackState } from './types.ts'

// Each user's playback state: loaded once, changed only here, written through to SQLite before
// anyone hears of the change, then fanned out to every connected device of that user.

/** Who asks for a change: a connected device, or a client without one (Subsonic, REST). */
export interface Origin {
  /** Recorded as `changedBy`: the device id, or the client's name. */
  by: string
  deviceId?: string
  /** The asking device plays audio, so a play with no connected active device may start on it. */
  audio?: boolean
}

/** Returns which of these track ids the user may play; the catalog provides it. */
export type KnownTracks = (userId: number, trackIds: readonly number[]) => ReadonlySet<number>

export interface PlaybackDeps {
  store: DeviceStore
  registry: Registry
  hub: LiveHub
  now: () => number
  random: Random
  /** How long a playing state waits for its vanished active device before pausing. */
  graceMs: number
  knownTracks?: KnownTracks
  usernameOf: (userId: number) => string | null
  onError: (err: unknown) => void
}

export type Playback = ReturnType<typeof createPlayback>

export function createPlayback(deps: PlaybackDeps) {
  const { store, registry, hub, now } = deps
  const states = new Map<number, PlaybackState>()
  const graceTimers = new Map<number, ReturnType<typeof setTimeout>>()
  const handoffs = createHandoffs()

  const isOnline = (userId: number, deviceId: string | null) =>
    deviceId !== null && registry.get(userId, deviceId) !== undefined

  function current(userId: number): PlaybackState {
    const cached = states.get(userId)
    if (cached) return cached
    const loaded = store.loadState(userId) ?? initialState(now())
    states.set(userId, loaded)
    // Restored while "playing" on a device that has not come back (say, after a restart): give it
    // the grace period from when it was last seen, as if it had just dropped.
    if (loaded.playing && !isOnline(userId, loaded.activeDeviceId)) {
      const seen = store.listDevices(userId).find((d) => d.id === loaded.activeDeviceId)?.lastSeenAt
      pauseLater(userId, Math.min(seen ?? loaded.observedAt, now()))
    }
    return loaded
  }

  function commit(userId: number, prev: PlaybackState, next: PlaybackState): PlaybackState {
    store.saveState(userId, next)
    states.set(userId, next)
    registry.broadcast(userId, { type: 'state', state: next })
    if (nowPlayingChanged(prev, next)) publishNowPlaying(userId, next)
    return next
  }

  function nowPlayingChanged(prev: PlaybackState, next: PlaybackState): boolean {
    return (
      prev.trackId !== next.trackId ||
      prev.playing !== next.playing ||
      prev.activeDeviceId !== next.activeDeviceId ||
      Math.abs(positionAt(prev, next.observedAt) - next.positionMs) > 1000
    )
  }

  function publishNowPlaying(userId: number, s: PlaybackState): void {
    const id = s.activeDeviceId
    const name = id
      ? (registry.get(userId, id)?.device.name ?? store.listDevices(userId).find((d) => d.id === id)?.name)
      : undefined
    hub.publish('now-playing', {
      userId,
      username: deps.usernameOf(userId),
      device: id ? { id, name: name ?? id } : null,
      trackId: s.trackId,
      playing: s.playing,
      positionMs: s.positionMs,
      observedAt: s.observedAt,
    })
  }

  function checkVersion(s: PlaybackState, baseVersion: number | undefined): void {
    if (baseVersion === undefined || baseVersion === s.version) return
    throw new DomainError(
      'conflict',
      `the change was based on version ${baseVersion} but the playback state is at version ${s.version}: ` +
        'apply it to the current state and send it again',
      { version: s.version, state: s },
    )
  }

  function checkTracks(userId: number, trackIds: readonly number[]): void {
    if (!deps.knownTracks || trackIds.length === 0) return
    const known = deps.knownTracks(userId, trackIds)
    const missing = trackIds.find((id) => !known.has(id))
    if (missing !== undefined) throw invalid(`track ${missing} is not in your library`, { field: 'trackIds' })
  }

  function checkTarget(userId: number, deviceId: string): void {
    const live = registry.get(userId, deviceId)
    if (!live) {
      // Offline devices of the user are named as such; anyone else's id is simply not found.
      if (store.ownerOf(deviceId) === userId) throw invalid(`device ${deviceId} is not connected`)
      throw notFound(`device ${deviceId}`)
    }
    if (!live.device.capabilities.includes('audio'))
      throw invalid(`device ${deviceId} (${live.device.name}) does not play audio`)
  }

  function pauseLater(userId: number, offlineSince: number): void {
    clearTimeout(graceTimers.get(userId))
    const timer = setTimeout(() => {
      graceTimers.delete(userId)
      try {
        const s = states.get(userId)
        if (!s?.playing || isOnline(userId, s.activeDeviceId)) return
        const t = now()
        commit(userId, s, {
          ...s,
          version: s.version + 1,
          playing: false,
          // Where the device was when it vanished, not where a song nobody hears would be now.
          positionMs: positionAt(s, offlineSince),
          observedAt: t,
          changedBy: 'server',
          changedAt: t,
          transfer: null,
        })
      } catch (err) {
        deps.onError(err)
      }
    }, deps.graceMs)
    timer.unref?.()
    graceTimers.set(userId, timer)
  }

  return {
    current,
    commit,
    checkVersion,
    checkTracks,

    /** Applies a command; a stale `baseVersion` is refused with the current state attached. */
    command(userId: number, origin: Origin, input: unknown, baseVersion?: number): PlaybackState {
      const cmd = parseOrThrow(commandSchema, input, 'command')
      const s = current(userId)
      checkVersion(s, baseVersion)
      if (cmd.action === 'setQueue' || cmd.action === 'addToQueue') checkTracks(userId, cmd.trackIds)
      if (cmd.action === 'transfer') checkTarget(userId, cmd.deviceId)
      const active = isOnline(userId, s.activeDeviceId) ? s.activeDeviceId : null
      const startDevice = active ?? (origin.deviceId && origin.audio ? origin.deviceId : null)
      const next = applyCommand(s, cmd, { now: now(), by: origin.by, random: deps.random, startDevice })
      commit(userId, s, next)
      if (cmd.action === 'transfer') handoffs.transferred(userId, next)
      return next
    },

    /**
     * A device's report of what its audio did. From the active device it refines the position of
     * the current version (without a new version: it changes no one's intent); from either side of
     * a transfer it completes the handoff measurement.
     */
    report(userId: number, deviceId: string, input: unknown): Handoff | undefined {
      const r = parseOrThrow(audioReportSchema, input, 'report')
      const s = current(userId)
      const t = now()
      if (r.version === s.version && s.playing && r.playing && s.activeDeviceId === deviceId) {
        const refined = {
          ...s,
          positionMs: r.positionMs,
          // Never in the future, nor older than a stale report could honestly be.
          observedAt: Math.round(Math.min(Math.max(r.at, t - 10_000), t)),
        }
        store.saveState(userId, refined)
        states.set(userId, refined)
      }
      const handoff = handoffs.report(userId, deviceId, r)
      if (handoff) registry.broadcast(userId, { type: 'handoff', handoff })
      return handoff
    },

    deviceOnline(userId: number, deviceId: string): void {
      const s = current(userId)
      if (s.activeDeviceId === deviceId) {
        clearTimeout(graceTimers.get(userId))
        graceTimers.delete(userId)
      }
    },

    deviceOffline(userId: number, deviceId: string, at: number): void {
      const s = states.get(userId)
      if (s?.playing && s.activeDeviceId === deviceId) pauseLater(userId, at)
    },

    close(): void {
      for (const timer of graceTimers.values()) clearTimeout(timer)
      graceTimers.clear()
    },
  }
}
