import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { users } from './accounts.ts'
import { tracks } from './catalog.ts'

const now = sql`(unixepoch('subsec') * 1000)`

/** A user's ordered list of tracks. Times are epoch milliseconds. */
export const playlists = sqliteTable(
  'playlists',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    comment: text('comment').notNull().default(''),
    /** Others may read a public playlist, each seeing only the tracks of their folders. */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    /** A public playlist whose tracks everyone may add, move and remove; only its owner renames or deletes it. */
    collaborative: integer('collaborative', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull().default(now),
    changedAt: integer('changed_at').notNull().default(now),
  },
  (t) => [index('playlists_owner').on(t.ownerId, t.name), index('playlists_public').on(t.public)],
)

/**
 * One row per entry; the same track may appear several times. `position` is a fractional index
 * (the `fractional-indexing` package): a key between two neighbours, so inserting, moving or
 * removing an entry writes only that entry's row. Entries follow the track id, which the scanner
 * keeps through moves and retags; when the catalog finally purges a track, its entries go too.
 */
export const playlistEntries = sqliteTable(
  'playlist_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    playlistId: integer('playlist_id')
      .notNull()
      .references(() => playlists.id, { onDelete: 'cascade' }),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    position: text('position').notNull(),
    addedAt: integer('added_at').notNull().default(now),
    /** Who added it (a collaborative playlist shows it); null for entries older than the column. */
    addedBy: integer('added_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('playlist_entries_order').on(t.playlistId, t.position),
    index('playlist_entries_track').on(t.trackId),
  ],
)
