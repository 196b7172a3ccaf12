import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** A user's connection to ListenBrainz or Last.fm; the secret is AES-256-GCM sealed. */
export const scrobbleAccounts = sqliteTable(
  'scrobble_accounts',
  {
    userId: integer('user_id').notNull(),
    service: text('service', { enum: ['listenbrainz', 'lastfm'] }).notNull(),
    secret: text('secret').notNull(),
    /** Only listens received after this are forwarded, so connecting never resubmits old history. */
    connectedAt: integer('connected_at').notNull(),
    /** Set when the service rejected the credentials; cleared by saving new ones. */
    disabledReason: text('disabled_reason'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.service] })],
)

/**
 * Submissions waiting to be delivered. Rows are written by the scrobble consumer in the same
 * transaction as its checkpoint (so each play is queued exactly once) and deleted once the
 * service accepted them or the attempt budget is spent.
 */
export const scrobbleQueue = sqliteTable(
  'scrobble_queue',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull(),
    service: text('service', { enum: ['listenbrainz', 'lastfm'] }).notNull(),
    kind: text('kind', { enum: ['listen', 'now_playing'] }).notNull(),
    eventOffset: integer('event_offset').notNull(),
    /** Artist, title, album, duration and listen time, resolved when queued. */
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** Now-playing notices are pointless after the track ended; dropped instead of sent. */
    expiresAt: integer('expires_at'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('scrobble_queue_event').on(t.service, t.eventOffset, t.kind),
    index('scrobble_queue_due').on(t.service, t.nextAttemptAt),
  ],
)
