import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { users } from './accounts.ts'

/**
 * Tracks the household heard close together: the item-to-item graph recommendations walk. Each
 * pair is stored in both directions, so a track's neighbours are one index range. Anonymous (no
 * user), like the household's play counts, so it outlives any one account.
 */
export const coListens = sqliteTable(
  'co_listens',
  {
    trackId: text('track_id').notNull(),
    otherId: text('other_id').notNull(),
    weight: real('weight').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.otherId] })],
)

/** Each listener's last few counted plays, so a pair can span two batches of the log. */
export const coListenRecent = sqliteTable(
  'co_listen_recent',
  {
    // No foreign key: the log may still hold a deleted user's events, and a consumer must never
    // stall on them. Migration 0011's trigger deletes a user's rows with the user.
    userId: integer('user_id').notNull(),
    trackId: text('track_id').notNull(),
    playedAt: integer('played_at').notNull(),
    /** The event's offset: the order of plays, even when two share a millisecond. */
    seq: integer('seq').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.seq] }),
    index('co_listen_recent_user').on(t.userId, t.playedAt),
  ],
)

/**
 * Each listener's mixes of the day, as made at the first look that day: a mix must not change
 * under a listener who is playing it. `folders` is the grant it was made for (JSON, or `*`).
 */
export const dailyMixes = sqliteTable(
  'daily_mixes',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    mixId: text('mix_id').notNull(),
    /** The server's local date, YYYY-MM-DD. */
    day: text('day').notNull(),
    folders: text('folders').notNull(),
    /** JSON array of track ids, in the mix's order. */
    trackIds: text('track_ids').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.mixId] })],
)
