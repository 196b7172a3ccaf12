// Listening events: a durable log of what people play, consumers that turn it into statistics
// exactly once, and scrobbling. README.md in this folder explains the model.
export type { CompactionResult } from './compaction.ts'
export type { AggregateRow, Consumer } from './consumer.ts'
export { createEvents, type Events, type EventsConfig, type EventsDeps } from './events.ts'
export type { AppendResult } from './log.ts'
export type { RunnerOptions } from './runner.ts'
export {
  BatchSchema,
  EVENT_SCHEMA_VERSION,
  EVENT_TYPES,
  type EventInput,
  EventSchema,
  type EventType,
  type LoggedEvent,
  MAX_BATCH,
  SOURCES,
  type Source,
} from './schema.ts'
export type { DeliveryOptions } from './scrobble/delivery.ts'
export { SERVICES, type Service } from './scrobble/services.ts'
export {
  type HistoryEntry,
  type Kind,
  PERIODS,
  type Period,
  type Scope,
  type TopItem,
  WINDOWS,
  type Window,
} from './stats.ts'
export {
  listenOf,
  memoResolver,
  noCatalog,
  type PlayRule,
  type ResolvedTrack,
  type TrackResolver,
} from './tracks.ts'
export { batchRejected, type FieldError, fieldErrors, formatPath, parseBatch } from './validate.ts'
