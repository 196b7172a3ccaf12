// Devices: the registry of a user's connected devices, the one playback state the server owns
// per user (queue, position, who plays it, a version on every change), transfers between devices
// and their measurement, Subsonic's play queue over the same state, and the live-update hub.
// It never knows about sockets: the WebSocket layer (src/api/ws/) hands it a port per device.
export { applyCommand, initialState, positionAt } from './commands.ts'
export { createDevices, type DeviceSession, type Devices, type DevicesDeps } from './devices.ts'
export { type Audience, createHub, type Hub, inAudience, type Listener } from './hub.ts'
export type { KnownTracks, Origin } from './playback.ts'
export {
  audioReportSchema,
  COMMAND_ACTIONS,
  type Command,
  type CommandAction,
  type CommandInput,
  commandSchema,
  deviceIdSchema,
  deviceInfoSchema,
  LIMITS,
} from './schemas.ts'
export {
  LIVE_TOPICS,
  type LibraryChange,
  type LiveHub,
  type LiveTopic,
  type LiveTopics,
  type NowPlaying,
  type PlaylistChange,
  type ScanProgress,
} from './topics.ts'
export {
  type AudioReport,
  CAPABILITIES,
  type Capability,
  DEVICE_KINDS,
  type Device,
  type DeviceEvent,
  type DeviceInfo,
  type DeviceKind,
  type DeviceMessage,
  type DevicePort,
  type EndReason,
  type Handoff,
  type IngestEvents,
  type IngestResult,
  type PlaybackState,
  type PlayQueue,
  REPEAT_MODES,
  type RepeatMode,
  type SavePlayQueue,
  type Transfer,
} from './types.ts'
