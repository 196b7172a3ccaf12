import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { users } from './accounts.ts'

// Times here are epoch milliseconds as plain numbers: the devices domain does arithmetic on them
// (extrapolating a playing position), so Date objects would only be converted back and forth.

/**
 * Every device a user has connected over the WebSocket. The id is chosen by the client (a random
 * UUID it keeps), so a reconnect is the same device; it is unique across accounts, so nobody can
 * take over another person's device by presenting its id.
 */
export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    capabilities: text('capabilities', { mode: 'json' }).$type<string[]>().notNull(),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    lastAddress: text('last_address'),
  },
  (t) => [index('devices_user').on(t.userId, t.lastSeenAt)],
)

/**
 * One authoritative playback state per user. `version` grows with every change, so a device
 * acting on an older state is refused instead of overwriting a newer one. The position is the one
 * observed at `observed_at`; while playing, the current position is extrapolated from the two.
 */
export const playbackStates = sqliteTable('playback_states', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  /** No foreign key: forgetting a device must not rewrite the state it last played. */
  activeDeviceId: text('active_device_id'),
  queue: text('queue', { mode: 'json' }).$type<number[]>().notNull(),
  /** Play order as queue indices while shuffle is on; null plays the queue in order. */
  shuffleOrder: text('shuffle_order', { mode: 'json' }).$type<number[]>(),
  currentIndex: integer('current_index').notNull(),
  positionMs: integer('position_ms').notNull(),
  observedAt: integer('observed_at').notNull(),
  playing: integer('playing', { mode: 'boolean' }).notNull(),
  volume: integer('volume').notNull(),
  repeat: text('repeat', { enum: ['off', 'all', 'one'] }).notNull(),
  changedBy: text('changed_by'),
  changedAt: integer('changed_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
})
