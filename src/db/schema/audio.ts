import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * The transcoding queue. A row exists while a job is wanted: pending or running, or failed (kept
 * with its reason so a broken file is not retried in a loop). Finished jobs are deleted — their
 * result is the cache. `key` names the output (source fingerprint, profile, range), so two
 * requests for the same rendition meet on one row.
 */
export const audioJobs = sqliteTable(
  'audio_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull().unique(),
    kind: text('kind').notNull(),
    sourceId: text('source_id').notNull(),
    /** The source as the caller described it (id, path, …), so a restart can run the job. */
    source: text('source', { mode: 'json' }).notNull(),
    params: text('params', { mode: 'json' }).notNull(),
    /** 0 a user is waiting, 1 prefetch of what comes next, 2 background. */
    priority: integer('priority').notNull(),
    state: text('state', { enum: ['pending', 'running', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * The process that queued or runs the job ("pid.instance"). A running row belongs to its live
     * owner; a pending one to whichever process claims it first, so a server and `tonearm
     * transcode` share the work instead of doing it twice; a dead owner's rows are adopted.
     */
    owner: text('owner'),
    error: text('error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    index('audio_jobs_by_state').on(t.state, t.priority, t.id),
    index('audio_jobs_by_source').on(t.sourceId),
  ],
)

/** EBU R128 measurements per source file version (fingerprint), written by loudness jobs. */
export const audioLoudness = sqliteTable(
  'audio_loudness',
  {
    fingerprint: text('fingerprint').primaryKey(),
    sourceId: text('source_id').notNull(),
    /**
     * The catalog's hash of the audio payload (tracks.fingerprint), when the source came from the
     * catalog: loudness depends on the audio alone, so a retagged or moved file keeps its
     * measurement, and browse queries join on it.
     */
    contentId: text('content_id'),
    integratedLufs: real('integrated_lufs').notNull(),
    rangeLu: real('range_lu').notNull(),
    truePeakDbtp: real('true_peak_dbtp').notNull(),
    measuredAt: integer('measured_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('audio_loudness_content').on(t.contentId)],
)
