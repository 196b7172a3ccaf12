import { sql } from 'drizzle-orm'
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// The one schema of the catalog. Change it here, then `npm run db:generate` writes the migration
// and refreshes the embedded copy the server applies at start.

/** Small facts about this data directory (created at, demo library state, …), keyed by name. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
})
