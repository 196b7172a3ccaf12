import { busy, forbidden, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { createPlayQueue } from './play-queue.ts'
import { createPlayback, type KnownTracks, type Origin } from './playback.ts'
import { createRegistry, type LiveSession } from './registry.ts'
import { deviceEventsSchema, deviceIdSchema, deviceInfoSchema, LIMITS, parseOrThrow } from './schemas.ts'
import { createDeviceStore } from './store.ts'
import type { LiveHub } from './topics.ts'
import type {
  Device,
  DeviceInfo,
  DevicePort,
  Handoff,
  IngestEvents,
  IngestResult,
  PlaybackState,
  PlayQueue,
  SavePlayQueue,
} from './types.ts'

const ANNOUNCE_DELAY_MS = 50

export interface DevicesDeps {
  db: Db
  hub: LiveHub
  /** The events pipeline; without it, `events` are refused as "busy" and stay on the device. */
  ingestEvents?: IngestEvents
  /** The catalog's check that queued track ids exist and are visible to the user. */
  knownTracks?: KnownTracks
  /** How long playback waits for a vanished active device before pausing (default 10 s). */
  graceMs?: number
  now?: () => number
  random?: () => number
  onError?: (err: unknown) => void
}

/** One connected device, as the WebSocket layer holds it. */
export interface DeviceSession {
  readonly userId: number
  readonly device: DeviceInfo
  /** Applies a command if `baseVersion` is still the state's version (else a conflict error). */
  command(input: unknown, baseVersion: number): PlaybackState
  report(input: unknown): Handoff | undefined
  /** Forwards buffered listening events; resolves once the pipeline has them (idempotently). */
  ingest(input: unknown): Promise<IngestResult & { ids: string[] }>
  disconnect(): void
}

export interface Devices {
  hub: LiveHub
  /** Registers a connection as a device; refuses a device id that belongs to another account. */
  connect(
    userId: number,
    info: unknown,
    port: DevicePort,
    meta: { username: string; address?: string },
  ): { session: DeviceSession; state: PlaybackState; devices: Device[] }
  list(userId: number): Device[]
  /** Forgets a device (its connection, if any, is ended). */
  forget(userId: number, deviceId: string): void
  online(userId: number): number
  onlineTotal(): number
  playback(userId: number): PlaybackState
  command(userId: number, origin: Origin, input: unknown, baseVersion?: number): PlaybackState
  getPlayQueue(userId: number): PlayQueue
  savePlayQueue(userId: number, input: SavePlayQueue): PlayQueue
  /** Records when every connected device was last seen and stops timers; call before closing the db. */
  close(): void
}

export function createDevices(deps: DevicesDeps): Devices {
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  const onError = deps.onError ?? (() => {})
  const store = createDeviceStore(deps.db)
  const registry = createRegistry(onError)
  const usernames = new Map<number, string>()
  const playback = createPlayback({
    store,
    registry,
    hub: deps.hub,
    now,
    random,
    graceMs: deps.graceMs ?? 10_000,
    knownTracks: deps.knownTracks,
    usernameOf: (id) => usernames.get(id) ?? null,
    onError,
  })
  const playQueue = createPlayQueue(playback, now, random)
  let closed = false

  function list(userId: number): Device[] {
    const active = playback.current(userId).activeDeviceId
    const t = now()
    const all = store.listDevices(userId).map((d) => {
      const live = registry.get(userId, d.id)
      return {
        id: d.id,
        name: live?.device.name ?? d.name,
        kind: live?.device.kind ?? d.kind,
        capabilities: live?.device.capabilities ?? d.capabilities,
        online: live !== undefined,
        active: d.id === active,
        firstSeenAt: d.firstSeenAt,
        lastSeenAt: live ? t : d.lastSeenAt,
      }
    })
    // Connected first, then most recently seen, then by name: a stable order for lists.
    return all.sort(
      (x, y) => +y.online - +x.online || y.lastSeenAt - x.lastSeenAt || x.name.localeCompare(y.name),
    )
  }

  // Device lists are announced a moment after a change, once per burst: when a whole household
  // reconnects after a restart, each device would otherwise send every other one a fresh list.
  const announcing = new Map<number, ReturnType<typeof setTimeout>>()
  function announce(userId: number): void {
    if (closed || announcing.has(userId)) return
    const timer = setTimeout(() => {
      announcing.delete(userId)
      try {
        if (!closed) registry.broadcast(userId, { type: 'devices', devices: list(userId) })
      } catch (err) {
        onError(err)
      }
    }, ANNOUNCE_DELAY_MS)
    timer.unref?.()
    announcing.set(userId, timer)
  }

  function sessionFor(live: LiveSession): DeviceSession {
    const { userId, device } = live
    const origin: Origin = {
      by: device.id,
      deviceId: device.id,
      audio: device.capabilities.includes('audio'),
    }
    const current = () => {
      if (registry.get(userId, device.id) !== live)
        throw forbidden('this connection no longer speaks for the device: a newer one took over')
    }
    return {
      userId,
      device,
      command(input, baseVersion) {
        current()
        return playback.command(userId, origin, input, baseVersion)
      },
      report(input) {
        current()
        return playback.report(userId, device.id, input)
      },
      async ingest(input) {
        const events = parseOrThrow(deviceEventsSchema, input, 'events')
        if (!deps.ingestEvents)
          throw busy('this server does not take listening events yet: keep them and send them again later')
        // The delivering device is the one that heard them; a client cannot attribute them elsewhere.
        const stamped = events.map((e) => ({ ...e, deviceId: device.id }))
        const result = await deps.ingestEvents(userId, stamped, 'device')
        return { accepted: result.accepted, duplicates: result.duplicates, ids: events.map((e) => e.id) }
      },
      disconnect() {
        if (closed || !registry.remove(live)) return
        const t = now()
        store.touch([device.id], t)
        playback.deviceOffline(userId, device.id, t)
        announce(userId)
      },
    }
  }

  return {
    hub: deps.hub,
    connect(userId, input, port, meta) {
      const info = parseOrThrow(deviceInfoSchema, input, 'device')
      const owner = store.ownerOf(info.id)
      if (owner !== undefined && owner !== userId)
        throw forbidden(`device id ${info.id} belongs to another account: choose a new random id`)
      if (!registry.get(userId, info.id) && registry.count(userId) >= LIMITS.onlineDevices)
        throw busy(`at most ${LIMITS.onlineDevices} devices of one account may be connected at once`)
      const t = now()
      store.saveDevice(userId, info, t, meta.address)
      const live: LiveSession = { userId, device: info, port, connectedAt: t }
      registry.add(live)?.port.end('replaced', 'replaced by a newer connection of this device')
      const spare = new Set([...registry.sessions(userId)].map((s) => s.device.id))
      store.pruneDevices(userId, LIMITS.storedDevices, spare)
      usernames.set(userId, meta.username)
      playback.deviceOnline(userId, info.id)
      announce(userId)
      return { session: sessionFor(live), state: playback.current(userId), devices: list(userId) }
    },
    list,
    forget(userId, deviceId) {
      const id = parseOrThrow(deviceIdSchema, deviceId, 'deviceId')
      if (!store.deleteDevice(userId, id)) throw notFound(`device ${id}`)
      const live = registry.get(userId, id)
      if (live) {
        registry.remove(live)
        playback.deviceOffline(userId, id, now())
        live.port.end('forgotten', 'this device was removed from the account')
      }
      announce(userId)
    },
    online: (userId) => registry.count(userId),
    onlineTotal: () => registry.total(),
    playback: (userId) => playback.current(userId),
    command: (userId, origin, input, baseVersion) => playback.command(userId, origin, input, baseVersion),
    getPlayQueue: playQueue.getPlayQueue,
    savePlayQueue: playQueue.savePlayQueue,
    close() {
      if (closed) return
      closed = true
      for (const timer of announcing.values()) clearTimeout(timer)
      announcing.clear()
      store.touch(
        [...registry.all()].map((s) => s.device.id),
        now(),
      )
      playback.close()
    },
  }
}
