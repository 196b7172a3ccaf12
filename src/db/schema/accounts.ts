import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { musicFolders } from './folders.ts'

const now = sql`(unixepoch('subsec') * 1000)`

/** People who sign in. Passwords are scrypt hashes with their parameters; never reversible. */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    role: text('role', { enum: ['admin', 'user'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    /** True: every music folder, including ones added later. False: only the user_folders rows. */
    allFolders: integer('all_folders', { mode: 'boolean' }).notNull().default(true),
    /** Highest streaming bitrate in kbps; 0 means no limit. */
    maxBitrate: integer('max_bitrate').notNull().default(0),
    canDownload: integer('can_download', { mode: 'boolean' }).notNull().default(true),
    canShare: integer('can_share', { mode: 'boolean' }).notNull().default(true),
    /** The Subsonic app password, AES-256-GCM encrypted with the key in <data>/keys; null when revoked. */
    subsonicPassword: text('subsonic_password'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  // Names are unique regardless of case, so "Anna" and "anna" cannot be two accounts.
  (t) => [uniqueIndex('users_username_nocase').on(sql`lower(${t.username})`)],
)

export const userFolders = sqliteTable(
  'user_folders',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    folderId: integer('folder_id')
      .notNull()
      .references(() => musicFolders.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.folderId] })],
)

/** Browser sessions; only the sha256 of the secret is stored, so a database leak signs nobody in. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }).notNull().default(now),
    /** Slides forward with use; written back in batches, not on every request. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    address: text('address'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
)

/** Named, scoped bearer tokens for scripts ('api') and OpenSubsonic API keys ('subsonic'). */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['api', 'subsonic'] }).notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
)

/**
 * Who did what, from where. The actor's name is copied in so entries stay readable after the user
 * is deleted (the id is then set to null rather than the history vanishing with the account).
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull().default(now),
    action: text('action').notNull(),
    success: integer('success', { mode: 'boolean' }).notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    actorName: text('actor_name'),
    target: text('target'),
    address: text('address'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_action').on(t.action, t.id)],
)
