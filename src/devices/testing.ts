import { type AccountsFixture, accountsFixture } from '../accounts/testing.ts'
import { openSqlite, type Sqlite } from '../platform/sqlite.ts'
import { createDevices, type Devices, type DevicesDeps } from './devices.ts'
import { createHub } from './hub.ts'
import type { LiveTopics } from './topics.ts'
import type { DeviceEvent, DeviceMessage, DevicePort, EndReason, IngestEvents } from './types.ts'

/**
 * A small, real stand-in for the events domain's ingestion (another branch): it records into a
 * SQLite table whose unique (user, event id) key makes a replayed event a duplicate, which is the
 * whole contract the device channel relies on.
 */
export interface EventRecorder {
  ingest: IngestEvents
  rows(userId?: number): { userId: number; eventId: string; deviceId: string; type: string }[]
  close(): void
}

export async function createEventRecorder(path = ':memory:'): Promise<EventRecorder> {
  const sqlite: Sqlite = await openSqlite(path)
  sqlite.exec(`CREATE TABLE IF NOT EXISTS listening_events (
    user_id INTEGER NOT NULL, event_id TEXT NOT NULL, device_id TEXT, type TEXT NOT NULL,
    body TEXT NOT NULL, UNIQUE (user_id, event_id))`)
  return {
    ingest(userId, events: DeviceEvent[]) {
      let accepted = 0
      sqlite.exec('BEGIN')
      try {
        for (const e of events) {
          // RETURNING yields a row only for an insert that happened, not for an ignored duplicate.
          const inserted = sqlite.all(
            'INSERT OR IGNORE INTO listening_events (user_id, event_id, device_id, type, body) VALUES (?, ?, ?, ?, ?) RETURNING 1',
            userId,
            e.id,
            String(e.deviceId ?? ''),
            e.type,
            JSON.stringify(e),
          )
          accepted += inserted.length
        }
        sqlite.exec('COMMIT')
      } catch (err) {
        sqlite.exec('ROLLBACK')
        throw err
      }
      return { accepted, duplicates: events.length - accepted }
    },
    rows(userId) {
      const all = sqlite.all<{ userId: number; eventId: string; deviceId: string; type: string }>(
        'SELECT user_id AS userId, event_id AS eventId, device_id AS deviceId, type FROM listening_events ORDER BY rowid',
      )
      return userId === undefined ? all : all.filter((r) => r.userId === userId)
    },
    close: () => sqlite.close(),
  }
}

/** A device port that keeps what the domain sent it, as a socket would carry it. */
export interface RecordingPort extends DevicePort {
  messages: DeviceMessage[]
  ended: { reason: EndReason; message: string } | null
  last<T extends DeviceMessage['type']>(type: T): Extract<DeviceMessage, { type: T }> | undefined
}

export function recordingPort(): RecordingPort {
  const port: RecordingPort = {
    messages: [],
    ended: null,
    deliver: (m) => void port.messages.push(m),
    end: (reason, message) => {
      port.ended = { reason, message }
    },
    last<T extends DeviceMessage['type']>(type: T) {
      return port.messages.filter((m) => m.type === type).pop() as Extract<DeviceMessage, { type: T }>
    },
  }
  return port
}

export interface DevicesFixture extends AccountsFixture {
  devices: Devices
  hub: ReturnType<typeof createHub<LiveTopics>>
  events: EventRecorder
  /** Creates a user and returns their id. */
  user(name: string): Promise<number>
  /** The same data directory opened again, as after a restart. */
  restart(): Promise<Devices>
}

export async function devicesFixture(deps: Partial<DevicesDeps> = {}): Promise<DevicesFixture> {
  const f = await accountsFixture()
  const hub = createHub<LiveTopics>((err) => {
    throw err
  })
  const events = await createEventRecorder()
  const make = (db = f.sqlite.db) =>
    createDevices({ db, hub, ingestEvents: events.ingest, now: f.clock.now, ...deps })
  const devices = make()
  const close = f.close
  return {
    ...f,
    devices,
    hub,
    events,
    async user(name) {
      const u = await f.accounts.users.create(
        { username: name, password: `${name}-password` },
        { source: 'cli' },
      )
      return u.id
    },
    async restart() {
      devices.close()
      const other = await f.second()
      return make(other.sqlite.db)
    },
    close() {
      devices.close()
      events.close()
      close()
    },
  }
}
