import type { DeviceInfo, DeviceMessage, DevicePort } from './types.ts'

// Who is connected right now, in memory only: one live session per device, grouped by user so a
// change fans out to exactly that user's devices without looking at anyone else's.

export interface LiveSession {
  userId: number
  device: DeviceInfo
  port: DevicePort
  connectedAt: number
}

export interface Registry {
  /** Makes `session` the device's live one; returns the session it replaced, if any. */
  add(session: LiveSession): LiveSession | undefined
  /** Removes `session` if it is still the device's live one (a replaced session removes nothing). */
  remove(session: LiveSession): boolean
  get(userId: number, deviceId: string): LiveSession | undefined
  sessions(userId: number): Iterable<LiveSession>
  count(userId: number): number
  total(): number
  all(): Iterable<LiveSession>
  /** Delivers one message object to every device of the user (but `except`). */
  broadcast(userId: number, message: DeviceMessage, except?: LiveSession): void
}

// A port that throws must not keep the message from the user's other devices.
export function createRegistry(onError: (err: unknown) => void): Registry {
  const byUser = new Map<number, Map<string, LiveSession>>()
  let total = 0

  return {
    add(session) {
      let mine = byUser.get(session.userId)
      if (!mine) {
        mine = new Map()
        byUser.set(session.userId, mine)
      }
      const replaced = mine.get(session.device.id)
      mine.set(session.device.id, session)
      if (!replaced) total++
      return replaced
    },
    remove(session) {
      const mine = byUser.get(session.userId)
      if (mine?.get(session.device.id) !== session) return false
      mine.delete(session.device.id)
      if (mine.size === 0) byUser.delete(session.userId)
      total--
      return true
    },
    get: (userId, deviceId) => byUser.get(userId)?.get(deviceId),
    sessions: (userId) => byUser.get(userId)?.values() ?? [],
    count: (userId) => byUser.get(userId)?.size ?? 0,
    total: () => total,
    *all() {
      for (const mine of byUser.values()) yield* mine.values()
    },
    broadcast(userId, message, except) {
      const mine = byUser.get(userId)
      if (!mine) return
      for (const s of mine.values()) {
        if (s === except) continue
        try {
          s.port.deliver(message)
        } catch (err) {
          onError(err)
        }
      }
    },
  }
}
