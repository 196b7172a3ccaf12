import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { users } from './accounts.ts'
import { albums, artists, tracks } from './catalog.ts'

// Per-user annotations beyond tracks (whose stars and ratings live in track_annotations, which the
// scanner carries through file moves). Times are epoch milliseconds.

const now = sql`(unixepoch('subsec') * 1000)`

/** A user's star and rating of an album; a row with neither is deleted rather than kept. */
export const albumAnnotations = sqliteTable(
  'album_annotations',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    albumId: integer('album_id')
      .notNull()
      .references(() => albums.id, { onDelete: 'cascade' }),
    starredAt: integer('starred_at'),
    rating: integer('rating'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.albumId] }),
    index('album_annotations_starred').on(t.userId, t.starredAt),
    index('album_annotations_album').on(t.albumId),
  ],
)

/** A user's star and rating of an artist; a row with neither is deleted rather than kept. */
export const artistAnnotations = sqliteTable(
  'artist_annotations',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    artistId: integer('artist_id')
      .notNull()
      .references(() => artists.id, { onDelete: 'cascade' }),
    starredAt: integer('starred_at'),
    rating: integer('rating'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.artistId] }),
    index('artist_annotations_starred').on(t.userId, t.starredAt),
    index('artist_annotations_artist').on(t.artistId),
  ],
)

/** Where a user stopped in a track (audiobooks, long mixes): one per user and track. */
export const bookmarks = sqliteTable(
  'bookmarks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    trackId: integer('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    positionMs: integer('position_ms').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: integer('created_at').notNull().default(now),
    changedAt: integer('changed_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('bookmarks_user_track').on(t.userId, t.trackId),
    index('bookmarks_track').on(t.trackId),
  ],
)
