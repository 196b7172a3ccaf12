import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * The listening event log: append-only, one row per accepted event. AUTOINCREMENT makes `offset`
 * strictly increasing and never reused, even after compaction deletes old rows, so a reader that
 * remembers "everything up to N" never misses or re-reads an event. SQLite serialises writers, so
 * offsets also become visible in order: a later commit can never reveal a smaller offset.
 */
export const events = sqliteTable(
  'events',
  {
    offset: integer('offset').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull(),
    /** Client-generated; the (user, eventId) pair makes retries and offline replays idempotent. */
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    /** The schema version the client wrote the event in. */
    v: integer('v').notNull(),
    source: text('source').notNull(),
    deviceId: text('device_id').notNull(),
    trackId: text('track_id'),
    clientTime: integer('client_time').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** The type-specific fields (heardMs, positionMs, …) as JSON. */
    payload: text('payload').notNull(),
  },
  (t) => [
    uniqueIndex('events_user_event_id').on(t.userId, t.eventId),
    index('events_user_offset').on(t.userId, t.offset),
  ],
)

/** One row per consumer: the offset of the last event whose effects it has committed. */
export const eventConsumers = sqliteTable('event_consumers', {
  name: text('name').primaryKey(),
  checkpoint: integer('checkpoint').notNull().default(0),
  updatedAt: integer('updated_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
})

/**
 * What compaction keeps of raw events it deletes: per user, track and UTC day of listening, the
 * counts every counting consumer needs to reach the same state as replaying the raw events.
 * Like and rating keep the latest state of that day with its time, so "latest wins" still resolves.
 */
export const eventAggregates = sqliteTable(
  'event_aggregates',
  {
    userId: integer('user_id').notNull(),
    trackId: text('track_id').notNull(),
    /** Days since the Unix epoch (UTC). */
    day: integer('day').notNull(),
    starts: integer('starts').notNull().default(0),
    plays: integer('plays').notNull().default(0),
    heardMs: integer('heard_ms').notNull().default(0),
    skips: integer('skips').notNull().default(0),
    lastPlayedAt: integer('last_played_at'),
    liked: integer('liked', { mode: 'boolean' }),
    likedAt: integer('liked_at'),
    rating: integer('rating'),
    ratedAt: integer('rated_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.trackId, t.day] })],
)
