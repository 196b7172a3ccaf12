import { sql } from 'drizzle-orm'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * The music folders the server was configured with. Ids are stable across restarts (matched by
 * path) so per-user folder grants and Subsonic's musicFolderId keep pointing at the same folder.
 */
export const musicFolders = sqliteTable('music_folders', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  path: text('path').notNull().unique(),
  name: text('name').notNull(),
  /** False when the folder is no longer configured; kept so its grants and history survive a typo. */
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
})
