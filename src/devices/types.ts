// The shapes the devices domain shows the rest of the program. Times are epoch milliseconds on
// the server's clock; devices map them to their own clocks with the ping/pong clock sync.

export const DEVICE_KINDS = [
  'browser',
  'phone',
  'tablet',
  'desktop',
  'speaker',
  'tv',
  'car',
  'other',
] as const
export type DeviceKind = (typeof DEVICE_KINDS)[number]

/**
 * `audio`: the device plays sound, so it can be the active device (a play or transfer target).
 * `volume`: its volume may be set from another device. A remote control declares neither.
 */
export const CAPABILITIES = ['audio', 'volume'] as const
export type Capability = (typeof CAPABILITIES)[number]

export const REPEAT_MODES = ['off', 'all', 'one'] as const
export type RepeatMode = (typeof REPEAT_MODES)[number]

/** What a device says about itself when it connects. */
export interface DeviceInfo {
  /** Chosen by the device and kept across reconnects (a random UUID is ideal). */
  id: string
  name: string
  kind: DeviceKind
  capabilities: Capability[]
}

/** A device as its owner sees it in lists. */
export interface Device extends DeviceInfo {
  online: boolean
  /** True for the device the playback state names as the one playing. */
  active: boolean
  firstSeenAt: number
  /** Now for online devices; when the connection ended for offline ones. */
  lastSeenAt: number
}

/** What a transfer did; devices use `at` to measure how long their side of the handoff took. */
export interface Transfer {
  from: string | null
  to: string
  /** Server time the transfer took effect. */
  at: number
}

/** One user's playback, owned by the server; every change raises `version`. */
export interface PlaybackState {
  version: number
  activeDeviceId: string | null
  /** Track ids in queue order. */
  queue: number[]
  /** Index into `queue` of the current track; -1 when the queue is empty. */
  index: number
  trackId: number | null
  /** The position at `observedAt`; while playing, add the time since then. */
  positionMs: number
  observedAt: number
  playing: boolean
  /** 0–100. */
  volume: number
  shuffle: boolean
  /** Play order (queue indices) while shuffle is on; null otherwise. */
  order: number[] | null
  repeat: RepeatMode
  /** The device id (or client name) behind the last change; null before any. */
  changedBy: string | null
  changedAt: number
  /** Set only on the version a transfer produced; any later change clears it. */
  transfer: Transfer | null
}

/** Result of pairing the source's "stopped" with the target's "started" after a transfer. */
export interface Handoff {
  version: number
  from: string
  to: string
  stoppedAt: number
  startedAt: number
  /** startedAt − stoppedAt: silence between the two devices (negative: they overlapped). */
  gapMs: number
}

/** What the domain pushes to a connected device; the API layer turns it into frames. */
export type DeviceMessage =
  | { type: 'state'; state: PlaybackState }
  | { type: 'devices'; devices: Device[] }
  | { type: 'handoff'; handoff: Handoff }

/** Why the domain ends a device's connection: a newer one of the same device, or it was forgotten. */
export type EndReason = 'replaced' | 'forgotten'

/**
 * How the domain reaches one connected device. The WebSocket layer implements it; the domain
 * never sees a socket. `end` asks the transport to close the connection.
 */
export interface DevicePort {
  deliver(message: DeviceMessage): void
  end(reason: EndReason, message: string): void
}

/** A device's audio report: what its speaker really did, at which server time. */
export interface AudioReport {
  /** The state version the report is about; reports about older versions are ignored. */
  version: number
  playing: boolean
  positionMs: number
  /** Server time (estimated with the clock sync) at which the device observed this. */
  at: number
}

/** A listening event as a device buffered it; the events domain owns its meaning. */
export interface DeviceEvent {
  /** Client-generated id: replays of the same event are recognised by it. */
  id: string
  type: string
  /** Client time of the event, epoch ms. */
  at: number
  trackId?: number
  [field: string]: unknown
}

export interface IngestResult {
  accepted: number
  duplicates: number
}

/**
 * The events pipeline's ingestion, idempotent by (user, event id): a device that resends its
 * buffer after a lost acknowledgement never counts a play twice.
 */
export type IngestEvents = (
  userId: number,
  events: DeviceEvent[],
  source: 'device',
) => IngestResult | Promise<IngestResult>

/** Subsonic's view of the same state (getPlayQueue / savePlayQueue). */
export interface PlayQueue {
  trackIds: number[]
  current: number | null
  /** Position of the current entry in trackIds (-1 when the queue is empty). */
  index: number
  positionMs: number
  changedAt: number
  changedBy: string | null
  version: number
}

export interface SavePlayQueue {
  trackIds: number[]
  /** The current track's id; must be in trackIds (the first occurrence is taken). */
  current?: number | null
  /** The current entry by position, for queues holding a track twice (wins over `current`). */
  index?: number
  positionMs?: number
  /** The client's name, shown as who changed the queue. */
  changedBy: string
}
