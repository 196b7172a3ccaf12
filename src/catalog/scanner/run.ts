import { readdir, realpath, stat } from 'node:fs/promises'
import { and, eq, isNull } from 'drizzle-orm'
import { scans, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { MusicFolder } from '../folders.ts'
import { type DirListing, type WalkContext, type WalkTarget, walk } from './phase-1-walk.ts'
import { createComparer } from './phase-2-compare.ts'
import { type BatchChanges, createWriter } from './phase-4-write.ts'
import { sweep } from './phase-5-sweep.ts'
import { createReadPool, type ReadPool } from './read-pool.ts'
import type { ReadOutcome, ScanOptions } from './types.ts'

// One scan run: count, then compare → read → write directory by directory, then sweep. Reads
// run in worker threads (a few queued per worker) while this thread compares and writes; at
// most one directory listing, the queued files and one batch are in memory at any time.

export interface ScanRequest {
  full: boolean
  trigger: string
  /** Only these directories (the watcher's); the whole library when absent. */
  targets?: { folderId: number; dir: string; recursive: boolean }[]
}

export type ScanPhase = 'counting' | 'scanning' | 'sweeping'

export interface ScanCounts {
  total: number
  done: number
  added: number
  updated: number
  removed: number
  unchanged: number
  problems: number
}

export interface ScanProgress extends ScanCounts {
  scanId: number
  trigger: string
  full: boolean
  phase: ScanPhase
  startedAt: number
  filesPerSecond: number
}

export interface ScanSummary extends ScanCounts {
  scanId: number
  trigger: string
  full: boolean
  status: 'done' | 'failed' | 'interrupted'
  startedAt: number
  finishedAt: number
  durationMs: number
  filesPerSecond: number
  /** Music folders that could not be reached; their catalog entries were left as they were. */
  unreachable: string[]
  error?: string
}

export interface RunDeps {
  db: Db
  folders: MusicFolder[]
  options: ScanOptions
  signal?: AbortSignal
  onProgress?: (p: ScanProgress) => void
  onChanges?: (c: BatchChanges) => void
}

const PROGRESS_EVERY_MS = 250
const FLUSH_EVERY_MS = 1000

async function rootReachable(db: Db, folderId: number, root: string): Promise<boolean> {
  const isDir = await stat(root).then(
    (s) => s.isDirectory(),
    () => false,
  )
  if (!isDir) return false
  if ((await readdir(root).catch(() => [])).length > 0) return true
  const held = db
    .select({ id: tracks.id })
    .from(tracks)
    .where(and(eq(tracks.folderId, folderId), isNull(tracks.missingAt)))
    .limit(1)
    .all()
  return held.length === 0
}

export const zeroCounts = (): ScanCounts => ({
  total: 0,
  done: 0,
  added: 0,
  updated: 0,
  removed: 0,
  unchanged: 0,
  problems: 0,
})

export async function runScan(deps: RunDeps, request: ScanRequest): Promise<ScanSummary> {
  const { db, options } = deps
  const startedAt = Date.now()
  const scanId = (
    db
      .insert(scans)
      .values({ trigger: request.trigger, full: request.full, status: 'running', startedAt })
      .returning({ id: scans.id })
      .get() as {
      id: number
    }
  ).id
  const counts = zeroCounts()
  let phase: ScanPhase = 'counting'
  const rate = () => Math.round((counts.done * 1000) / Math.max(1, Date.now() - startedAt))
  let lastProgress = 0
  const progress = (force = false) => {
    if (!force && Date.now() - lastProgress < PROGRESS_EVERY_MS) return
    lastProgress = Date.now()
    deps.onProgress?.({
      scanId,
      trigger: request.trigger,
      full: request.full,
      phase,
      startedAt,
      filesPerSecond: rate(),
      ...counts,
    })
  }
  const unreachable: string[] = []
  let status: ScanSummary['status'] = 'done'
  let error: string | undefined
  let pool: ReadPool | undefined
  try {
    const active = deps.folders.filter((f) => f.active)
    const roots = new Map(active.map((f) => [f.id, f.path]))
    const allowedRoots = await Promise.all(active.map((f) => realpath(f.path).catch(() => f.path)))
    const targets: WalkTarget[] = (
      request.targets ?? active.map((f) => ({ folderId: f.id, dir: '', recursive: true }))
    )
      .filter((t) => roots.has(t.folderId))
      .map((t) => ({ ...t, root: roots.get(t.folderId) as string }))
    const protectedDirs: { folderId: number; dir: string }[] = []
    for (const t of targets) {
      if (t.dir !== '') continue
      // An unmounted disk must not look like a library whose every file was deleted: neither a
      // missing root nor an empty one where tracks were (the mount point of a disk not mounted).
      if (!(await rootReachable(db, t.folderId, t.root))) {
        unreachable.push(t.root)
        protectedDirs.push({ folderId: t.folderId, dir: '' })
      }
    }
    const reachable = targets.filter((t) => !(t.dir === '' && unreachable.includes(t.root)))

    const reader = createReadPool(options)
    pool = reader
    // A first or full scan reads nearly every file: the workers boot while the walk counts. A
    // rescan may read nothing, and then starting them would be wasted.
    const empty = db.select({ id: tracks.id }).from(tracks).limit(1).get() === undefined
    if (reachable.length > 0 && (request.full || empty)) reader.warm()
    progress(true)
    for (const t of reachable) {
      const ctx: WalkContext = { allowedRoots, visited: new Set() }
      for await (const listing of walk(t, ctx)) {
        counts.total += listing.files.length
        progress()
      }
    }

    phase = 'scanning'
    const compare = createComparer(db)
    const writer = createWriter(db, roots)
    const visited = new Set<string>()
    const walkCtx: WalkContext = { allowedRoots, visited: new Set() }
    const inFlight = new Set<Promise<void>>()
    // Woken when a read finishes and frees a place. Not Promise.race over the reads in flight: that
    // adds a reaction to every pending read per file sent, quadratic in the reads kept in flight.
    let freed: (() => void) | null = null
    let failure: unknown
    let batch: ReadOutcome[] = []
    let lastFlush = Date.now()
    const flush = () => {
      if (batch.length === 0) return
      const written = batch
      batch = []
      lastFlush = Date.now()
      const changes = writer.write(written)
      counts.added += changes.added.length
      counts.updated += changes.updated.length
      counts.removed += changes.removed.length
      deps.onChanges?.(changes)
    }
    const take = (o: ReadOutcome) => {
      batch.push(o)
      counts.done++
      if (o.kind === 'problem') counts.problems++
      if (batch.length >= options.batchSize || Date.now() - lastFlush > FLUSH_EVERY_MS) flush()
      progress()
    }
    const handle = async (listing: DirListing) => {
      visited.add(`${listing.folderId}/${listing.dir}`)
      if (listing.error) {
        protectedDirs.push({ folderId: listing.folderId, dir: listing.dir })
        return
      }
      const now = Date.now()
      const cmp = await compare(listing, request.full, now)
      counts.unchanged += cmp.unchanged
      counts.problems += cmp.knownProblems
      counts.done += cmp.unchanged + cmp.knownProblems + cmp.restored.length
      counts.removed += cmp.removed.length
      if (cmp.removed.length + cmp.restored.length > 0)
        deps.onChanges?.({ added: [], updated: cmp.restored, removed: cmp.removed })
      for (const file of cmp.toRead) {
        while (inFlight.size >= reader.capacity) await new Promise<void>((r) => (freed = r))
        if (failure) throw failure
        const job: Promise<void> = reader
          .read(file)
          .then(take)
          .catch((err) => {
            failure ??= err
          })
          .finally(() => {
            inFlight.delete(job)
            freed?.()
            freed = null
          })
        inFlight.add(job)
      }
      progress()
    }
    for (const t of reachable) {
      for await (const listing of walk(t, walkCtx)) {
        if (deps.signal?.aborted) break
        await handle(listing)
      }
    }
    await Promise.all(inFlight)
    if (failure) throw failure
    flush()
    if (deps.signal?.aborted) status = 'interrupted'
    else {
      phase = 'sweeping'
      progress(true)
      const removed = sweep(db, { targets: reachable, visited, protectedDirs }, Date.now())
      counts.removed += removed.length
      if (removed.length > 0) deps.onChanges?.({ added: [], updated: [], removed })
    }
  } catch (err) {
    status = 'failed'
    error = (err as Error)?.message ?? String(err)
  } finally {
    await pool?.close()
  }
  const finishedAt = Date.now()
  const summary: ScanSummary = {
    scanId,
    trigger: request.trigger,
    full: request.full,
    status,
    startedAt,
    finishedAt,
    durationMs: finishedAt - startedAt,
    filesPerSecond: Math.round((counts.done * 1000) / Math.max(1, finishedAt - startedAt)),
    unreachable,
    ...counts,
    ...(error ? { error } : {}),
  }
  db.update(scans)
    .set({
      status,
      finishedAt,
      stats: { ...counts, durationMs: summary.durationMs, filesPerSecond: summary.filesPerSecond },
      error: error ?? null,
    })
    .where(eq(scans.id, scanId))
    .run()
  return summary
}
