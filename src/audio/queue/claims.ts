import { randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { audioJobs } from '../../db/schema/audio.ts'
import type { Db } from '../../platform/sqlite.ts'

// Several processes may share one queue table: a server and `tonearm transcode` beside it. A
// running row belongs to its owner while that process lives; a pending row goes to whichever
// process claims it first, so the same rendition is never encoded twice at once; rows of a dead
// owner (a crash, a kill -9) are adopted by the next process that opens the queue.

export type Row = typeof audioJobs.$inferSelect

/** "pid.instance": the pid says whether the owner still lives, the instance tells queues of one process apart. */
export const newOwner = () => `${process.pid}.${randomUUID().slice(0, 8)}`

/**
 * Another queue of this very process counts as alive: it resets its running rows when it closes,
 * so only a crash leaves rows behind, and a crash ends every queue of the process at once.
 */
export function ownerAlive(owner: string | null): boolean {
  const pid = Number(owner?.split('.')[0])
  if (!Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Rows of dead owners become this queue's pending work; returns every row it now owns. */
export function adoptOrphans(db: Db, owner: string): Row[] {
  const rows = db
    .select()
    .from(audioJobs)
    .where(inArray(audioJobs.state, ['pending', 'running']))
    .all()
  const orphans = rows.filter((r) => !ownerAlive(r.owner)).map((r) => r.id)
  for (let i = 0; i < orphans.length; i += 500) {
    db.update(audioJobs)
      .set({ state: 'pending', owner })
      .where(inArray(audioJobs.id, orphans.slice(i, i + 500)))
      .run()
  }
  const adopted = new Set(orphans)
  return rows.filter((r) => adopted.has(r.id)).map((r) => ({ ...r, state: 'pending', owner }))
}

export type Claim =
  | { outcome: 'claimed'; id: number }
  /** Finished by another process (its output is in the shared cache), or cancelled there. */
  | { outcome: 'gone' }
  | { outcome: 'failed'; error: string }
  /** Another live process is running it. */
  | { outcome: 'elsewhere' }

/** Takes a pending row to run it, or says where it stands. */
export function claim(db: Db, key: string, owner: string): Claim {
  for (let attempt = 0; attempt < 2; attempt++) {
    const taken = db
      .update(audioJobs)
      .set({ state: 'running', owner, attempts: sql`${audioJobs.attempts} + 1` })
      .where(and(eq(audioJobs.key, key), eq(audioJobs.state, 'pending')))
      .returning({ id: audioJobs.id })
      .get()
    if (taken) return { outcome: 'claimed', id: taken.id }
    const row = db.select().from(audioJobs).where(eq(audioJobs.key, key)).get()
    if (!row) return { outcome: 'gone' }
    if (row.state === 'failed') return { outcome: 'failed', error: row.error ?? 'failed' }
    if (row.state === 'running' && ownerAlive(row.owner)) return { outcome: 'elsewhere' }
    // Its runner died: take it over as pending, then claim it like any other.
    db.update(audioJobs)
      .set({ state: 'pending', owner })
      .where(and(eq(audioJobs.id, row.id), eq(audioJobs.state, row.state)))
      .run()
  }
  return { outcome: 'elsewhere' }
}

/** Where a job another process runs stands now: still there, back to pending, done, or failed. */
export function rowState(db: Db, key: string): Claim | { outcome: 'pending' } {
  const row = db.select().from(audioJobs).where(eq(audioJobs.key, key)).get()
  if (!row) return { outcome: 'gone' }
  if (row.state === 'failed') return { outcome: 'failed', error: row.error ?? 'failed' }
  if (row.state === 'running' && ownerAlive(row.owner)) return { outcome: 'elsewhere' }
  return { outcome: 'pending' }
}

/** At close: what this queue was running is pending again, for whoever opens the queue next. */
export function releaseRunning(db: Db, owner: string): void {
  db.update(audioJobs)
    .set({ state: 'pending' })
    .where(and(eq(audioJobs.owner, owner), eq(audioJobs.state, 'running')))
    .run()
}
