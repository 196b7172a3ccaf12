import { and, asc, eq, gt, max, sql } from 'drizzle-orm'
import { events, meta } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import { EVENT_SCHEMA_VERSION, type EventInput, type LoggedEvent, type Source } from './schema.ts'
import { preparedInsert } from './upsert.ts'

type Row = typeof events.$inferSelect

export interface AppendResult {
  accepted: number
  duplicates: number
  /** The log's head after this batch: stream from here to see what came next. */
  head: number
}

const WATERMARK_KEY = 'events.compactedThrough'

// Fields stored in their own columns; the rest of an event is its JSON payload.
const COLUMNS = new Set(['type', 'eventId', 'v', 'deviceId', 'clientTime', 'trackId'])

export function eventTime(
  e: { type: string; clientTime: number; time?: number },
  receivedAt: number,
): number {
  const t = e.type === 'scrobble' && typeof e.time === 'number' ? e.time : e.clientTime
  return Math.min(t, receivedAt)
}

export function toLogged(row: Row): LoggedEvent {
  const extra = JSON.parse(row.payload) as Record<string, unknown>
  const base = {
    ...extra,
    type: row.type,
    offset: row.offset,
    userId: row.userId,
    eventId: row.eventId,
    v: row.v,
    source: row.source as Source,
    deviceId: row.deviceId,
    trackId: row.trackId,
    clientTime: row.clientTime,
    receivedAt: row.receivedAt,
  }
  return {
    ...base,
    at: eventTime(base as { type: string; clientTime: number }, row.receivedAt),
  } as LoggedEvent
}

/**
 * Appends validated batches, each in one transaction; an event whose (user, eventId) is already
 * in the log is skipped. Statements are prepared once: this is the hot path of ingestion.
 */
export function createAppender(db: Db) {
  const prepared = () => ({
    known: db
      .select({ o: events.offset })
      .from(events)
      .where(
        and(eq(events.userId, sql.placeholder('userId')), eq(events.eventId, sql.placeholder('eventId'))),
      )
      .prepare(),
    insert: preparedInsert(db, events),
  })
  let s: ReturnType<typeof prepared> | undefined

  return (
    userId: number,
    inputs: readonly EventInput[],
    source: Source,
    receivedAt: number,
  ): AppendResult => {
    s ??= prepared()
    const { known, insert } = s
    return db.transaction(
      (tx) => {
        // Known ids are skipped before inserting rather than left to the unique index: a
        // conflicting INSERT still consumes an AUTOINCREMENT number, and dense offsets keep
        // "lag = head - checkpoint" a count of events. The write lock is held, so no other
        // writer can add one of these ids in between.
        const seen = new Set<string>()
        const rows: (typeof events.$inferInsert)[] = []
        for (const e of inputs) {
          if (seen.has(e.eventId) || known.get({ userId, eventId: e.eventId })) {
            seen.add(e.eventId)
            continue
          }
          seen.add(e.eventId)
          const payload: Record<string, unknown> = {}
          for (const [k, v] of Object.entries(e)) if (!COLUMNS.has(k)) payload[k] = v
          rows.push({
            userId,
            eventId: e.eventId,
            type: e.type,
            v: e.v ?? EVENT_SCHEMA_VERSION,
            source,
            deviceId: e.deviceId,
            trackId: e.trackId ?? null,
            clientTime: e.clientTime,
            receivedAt,
            payload: JSON.stringify(payload),
          })
        }
        insert(rows)
        return { accepted: rows.length, duplicates: inputs.length - rows.length, head: head(tx) }
      },
      { behavior: 'immediate' },
    )
  }
}

/** Up to `limit` events after `after`, oldest first; only `userId`'s when given. */
export function read(db: Db, after: number, limit: number, userId?: number): LoggedEvent[] {
  const where =
    userId === undefined ? gt(events.offset, after) : and(eq(events.userId, userId), gt(events.offset, after))
  return db.select().from(events).where(where).orderBy(asc(events.offset)).limit(limit).all().map(toLogged)
}

/** The offset of the newest event (after compaction emptied the table: the watermark). */
export function head(db: Db): number {
  const newest = db
    .select({ o: max(events.offset) })
    .from(events)
    .get()?.o
  return newest ?? watermark(db)
}

/** Every event at or below this offset has been folded into event_aggregates and deleted. */
export function watermark(db: Db): number {
  const row = db.select({ value: meta.value }).from(meta).where(eq(meta.key, WATERMARK_KEY)).get()
  return typeof row?.value === 'number' ? row.value : 0
}

export function setWatermark(db: Db, offset: number): void {
  db.insert(meta)
    .values({ key: WATERMARK_KEY, value: offset })
    .onConflictDoUpdate({
      target: meta.key,
      set: { value: offset, updatedAt: sql`(unixepoch('subsec') * 1000)` },
    })
    .run()
}
