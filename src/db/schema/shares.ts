import { sql } from 'drizzle-orm'
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { users } from './accounts.ts'
import { albums, tracks } from './catalog.ts'
import { playlists } from './playlists.ts'

const now = sql`(unixepoch('subsec') * 1000)`

/**
 * A public, expiring link (`/share/<id>`) to tracks, albums or playlists. The id is 128 random
 * bits: the link itself is the credential, so it must not be guessable. Times are epoch ms.
 */
export const shares = sqliteTable(
  'shares',
  {
    id: text('id').primaryKey(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    description: text('description').notNull().default(''),
    createdAt: integer('created_at').notNull().default(now),
    changedAt: integer('changed_at').notNull().default(now),
    expiresAt: integer('expires_at').notNull(),
    visitCount: integer('visit_count').notNull().default(0),
    lastVisitedAt: integer('last_visited_at'),
  },
  (t) => [index('shares_owner').on(t.ownerId, t.createdAt)],
)

/**
 * What a share holds, in order: exactly one of a track, an album or a playlist per row. Albums
 * and playlists are resolved when the link is opened, so the page shows them as they are then;
 * an item whose target is deleted goes with it.
 */
export const shareItems = sqliteTable(
  'share_items',
  {
    shareId: text('share_id')
      .notNull()
      .references(() => shares.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    trackId: integer('track_id').references(() => tracks.id, { onDelete: 'cascade' }),
    albumId: integer('album_id').references(() => albums.id, { onDelete: 'cascade' }),
    playlistId: integer('playlist_id').references(() => playlists.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.shareId, t.position] }),
    index('share_items_track').on(t.trackId),
    index('share_items_album').on(t.albumId),
    index('share_items_playlist').on(t.playlistId),
    check(
      'share_items_one_target',
      sql`(${t.trackId} IS NOT NULL) + (${t.albumId} IS NOT NULL) + (${t.playlistId} IS NOT NULL) = 1`,
    ),
  ],
)
