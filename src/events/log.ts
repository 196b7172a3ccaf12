import { and, asc, eq, gt, inArray, max, sql } from 'drizzle-orm'
import { events, meta } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import { EVENT_SCHEMA_VERSION, type EventInput, type LoggedEvent, type Source } from './schema.ts'

type Row = typeof events.$inferSelect

export interface AppendResult {
  accepted: number
  duplicates: number
  /** The log's head after this batch: stream from here to see what came next. */
  head: number
}

const WATERMARK_KEY = 'events.compactedThrough'
// 250 rows × 10 columns stays far below SQLite's bound on parameters per statement.
const INSERT_CHUNK = 250

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

/** Appends a validated batch in one transaction; a (user, eventId) already in the log is skipped. */
export function append(
  db: Db,
  userId: number,
  inputs: readonly EventInput[],
  source: Source,
  receivedAt: number,
): AppendResult {
  return db.transaction(
    (tx) => {
      // Known ids are filtered out before inserting: a conflicting INSERT would still consume an
      // AUTOINCREMENT number, and dense offsets keep "lag = head - checkpoint" a count of events.
      const seen = new Set<string>()
      for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
        const ids = inputs.slice(i, i + INSERT_CHUNK).map((e) => e.eventId)
        for (const r of tx
          .select({ id: events.eventId })
          .from(events)
          .where(and(eq(events.userId, userId), inArray(events.eventId, ids)))
          .all())
          seen.add(r.id)
      }
      const fresh: EventInput[] = []
      for (const e of inputs) {
        if (seen.has(e.eventId)) continue
        seen.add(e.eventId)
        fresh.push(e)
      }
      for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
        const rows = fresh.slice(i, i + INSERT_CHUNK).map((e) => {
          const payload: Record<string, unknown> = {}
          for (const [k, v] of Object.entries(e)) if (!COLUMNS.has(k)) payload[k] = v
          return {
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
          }
        })
        // The transaction holds the write lock, so no other writer can add one of these ids now.
        tx.insert(events).values(rows).run()
      }
      return { accepted: fresh.length, duplicates: inputs.length - fresh.length, head: head(tx) }
    },
    { behavior: 'immediate' },
  )
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
