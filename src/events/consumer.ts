import { eq, sql } from 'drizzle-orm'
import { eventAggregates, eventConsumers } from '../db/schema/index.ts'
import { conflict } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { read, watermark } from './log.ts'
import type { LoggedEvent } from './schema.ts'

export type AggregateRow = typeof eventAggregates.$inferSelect

/**
 * A reader of the log that turns events into state. Its effects and its checkpoint are written in
 * one transaction, so after any crash the state reflects exactly the events up to the checkpoint:
 * nothing applied twice, nothing skipped.
 */
export interface Consumer {
  readonly name: string
  /** Applies a batch (oldest first) inside the transaction that then advances the checkpoint. */
  apply(tx: Db, batch: readonly LoggedEvent[]): void
  /**
   * Folds in what compaction kept of deleted events, for a consumer that starts below the
   * compaction watermark. Omitted when aggregates mean nothing to the consumer (now playing).
   */
  applySnapshot?(tx: Db, rows: readonly AggregateRow[]): void
  /** Deletes the consumer's state so it can replay from 0. Omitted when a replay would do harm. */
  reset?(tx: Db): void
}

export interface StepResult {
  checkpoint: number
  /** More events may be waiting right now (the batch was full, or a snapshot was just applied). */
  more: boolean
}

export function ensureCheckpoint(db: Db, name: string): void {
  db.insert(eventConsumers).values({ name, checkpoint: 0 }).onConflictDoNothing().run()
}

export function readCheckpoint(db: Db, name: string): number {
  return (
    db
      .select({ c: eventConsumers.checkpoint })
      .from(eventConsumers)
      .where(eq(eventConsumers.name, name))
      .get()?.c ?? 0
  )
}

function saveCheckpoint(db: Db, name: string, checkpoint: number): void {
  db.insert(eventConsumers)
    .values({ name, checkpoint })
    .onConflictDoUpdate({
      target: eventConsumers.name,
      set: { checkpoint, updatedAt: sql`(unixepoch('subsec') * 1000)` },
    })
    .run()
}

/**
 * One exactly-once step. The checkpoint is re-read inside the transaction, so even two processes
 * running the same consumer would serialise instead of applying a batch twice. IMMEDIATE takes the
 * write lock up front: a deferred transaction that reads and then writes can fail at once with
 * SQLITE_BUSY when another process (an ingesting script) committed in between.
 */
export function consumeOnce(db: Db, consumer: Consumer, batchSize: number): StepResult {
  return db.transaction(
    (tx) => {
      const from = readCheckpoint(tx, consumer.name)
      const compacted = watermark(tx)
      if (from < compacted) {
        consumer.applySnapshot?.(tx, tx.select().from(eventAggregates).all())
        saveCheckpoint(tx, consumer.name, compacted)
        return { checkpoint: compacted, more: true }
      }
      const batch = read(tx, from, batchSize)
      const last = batch.at(-1)
      if (!last) return { checkpoint: from, more: false }
      consumer.apply(tx, batch)
      saveCheckpoint(tx, consumer.name, last.offset)
      return { checkpoint: last.offset, more: batch.length === batchSize }
    },
    { behavior: 'immediate' },
  )
}

/** Clears a consumer's state and checkpoint in one transaction; it then replays from offset 0. */
export function resetConsumer(db: Db, consumer: Consumer): void {
  if (!consumer.reset)
    throw conflict(`consumer ${consumer.name} cannot be rebuilt: a replay would repeat its effects`)
  const reset = consumer.reset.bind(consumer)
  db.transaction(
    (tx) => {
      reset(tx)
      saveCheckpoint(tx, consumer.name, 0)
    },
    { behavior: 'immediate' },
  )
}
