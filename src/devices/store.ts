import { and, desc, eq, inArray } from 'drizzle-orm'
import { devices, playbackStates } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Capability, DeviceInfo, DeviceKind, PlaybackState } from './types.ts'

// The SQLite side of the domain: device rows and one playback row per user. Everything above it
// works from memory and writes through here, so a restart finds what was last committed.

export interface StoredDevice extends DeviceInfo {
  userId: number
  firstSeenAt: number
  lastSeenAt: number
}

export interface DeviceStore {
  /** The account a device id belongs to, if it was ever seen. */
  ownerOf(deviceId: string): number | undefined
  saveDevice(userId: number, info: DeviceInfo, now: number, address: string | undefined): void
  touch(deviceIds: readonly string[], at: number): void
  /** A user's devices, most recently seen first. */
  listDevices(userId: number): StoredDevice[]
  deleteDevice(userId: number, deviceId: string): boolean
  /** Forgets a user's longest-unseen devices beyond `keep`, sparing the ones in `spare`. */
  pruneDevices(userId: number, keep: number, spare: ReadonlySet<string>): void
  loadState(userId: number): PlaybackState | undefined
  saveState(userId: number, state: PlaybackState): void
}

export function createDeviceStore(db: Db): DeviceStore {
  const toDevice = (r: typeof devices.$inferSelect): StoredDevice => ({
    id: r.id,
    userId: r.userId,
    name: r.name,
    kind: r.kind as DeviceKind,
    capabilities: r.capabilities as Capability[],
    firstSeenAt: r.firstSeenAt,
    lastSeenAt: r.lastSeenAt,
  })

  return {
    ownerOf(deviceId) {
      return db.select({ userId: devices.userId }).from(devices).where(eq(devices.id, deviceId)).get()?.userId
    },
    saveDevice(userId, info, now, address) {
      const fields = {
        name: info.name,
        kind: info.kind,
        capabilities: info.capabilities,
        lastSeenAt: now,
        lastAddress: address ?? null,
      }
      db.insert(devices)
        .values({ id: info.id, userId, firstSeenAt: now, ...fields })
        .onConflictDoUpdate({ target: devices.id, set: fields })
        .run()
    },
    touch(deviceIds, at) {
      if (deviceIds.length === 0) return
      db.update(devices)
        .set({ lastSeenAt: at })
        .where(inArray(devices.id, [...deviceIds]))
        .run()
    },
    listDevices(userId) {
      return db
        .select()
        .from(devices)
        .where(eq(devices.userId, userId))
        .orderBy(desc(devices.lastSeenAt))
        .all()
        .map(toDevice)
    },
    deleteDevice(userId, deviceId) {
      const r = db
        .delete(devices)
        .where(and(eq(devices.id, deviceId), eq(devices.userId, userId)))
        .returning({ id: devices.id })
        .all()
      return r.length > 0
    },
    pruneDevices(userId, keep, spare) {
      const surplus = db
        .select({ id: devices.id })
        .from(devices)
        .where(eq(devices.userId, userId))
        .orderBy(desc(devices.lastSeenAt))
        .all()
        .slice(keep)
        .map((r) => r.id)
        .filter((id) => !spare.has(id))
      if (surplus.length > 0) db.delete(devices).where(inArray(devices.id, surplus)).run()
    },
    loadState(userId) {
      const r = db.select().from(playbackStates).where(eq(playbackStates.userId, userId)).get()
      if (!r) return undefined
      return {
        version: r.version,
        activeDeviceId: r.activeDeviceId,
        queue: r.queue,
        index: r.currentIndex,
        trackId: r.queue[r.currentIndex] ?? null,
        positionMs: r.positionMs,
        observedAt: r.observedAt,
        playing: r.playing,
        volume: r.volume,
        shuffle: r.shuffleOrder !== null,
        order: r.shuffleOrder,
        repeat: r.repeat,
        changedBy: r.changedBy,
        changedAt: r.changedAt,
        // A transfer is an event of the moment; after a restart there is none in flight.
        transfer: null,
      }
    },
    saveState(userId, s) {
      const row = {
        version: s.version,
        activeDeviceId: s.activeDeviceId,
        queue: s.queue,
        shuffleOrder: s.order,
        currentIndex: s.index,
        positionMs: Math.round(s.positionMs),
        observedAt: Math.round(s.observedAt),
        playing: s.playing,
        volume: s.volume,
        repeat: s.repeat,
        changedBy: s.changedBy,
        changedAt: Math.round(s.changedAt),
      }
      db.insert(playbackStates)
        .values({ userId, ...row })
        .onConflictDoUpdate({ target: playbackStates.userId, set: row })
        .run()
    },
  }
}
