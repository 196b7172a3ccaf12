import { availableParallelism } from 'node:os'
import { desc, eq, lt, ne } from 'drizzle-orm'
import { scans } from '../../db/schema/index.ts'
import type { Logger } from '../../lib/logger.ts'
import type { StatusBoard } from '../../lib/status.ts'
import type { Db } from '../../platform/sqlite.ts'
import { createEmitter, type Emitter } from '../events.ts'
import type { MusicFolder } from '../folders.ts'
import { DEFAULT_ARTIST_SEPARATORS } from '../normalize.ts'
import { tryScanLock } from './lock.ts'
import type { BatchChanges } from './phase-4-write.ts'
import { runScan, type ScanProgress, type ScanRequest, type ScanSummary, zeroCounts } from './run.ts'
import type { ScanOptions } from './types.ts'

// The long-lived scanner of a server or of `tonearm scan`: runs one scan at a time, merges
// requests that arrive meanwhile into the next run, waits for another process's scan, and
// reports through events and the status board.

export interface CatalogEvents {
  /** Another process holds the scan lock; the scan starts when it is done. */
  'scan.waiting': { since: number }
  'scan.started': ScanProgress
  'scan.progress': ScanProgress
  'scan.finished': ScanSummary
  /** Track ids written by one batch: what a search index or a live client needs to refresh. */
  'tracks.changed': BatchChanges
}

export interface ScanStatus {
  state: 'idle' | 'waiting' | 'running'
  progress: ScanProgress | null
  /** Another scan will follow the running one. */
  queued: boolean
  lastScan: ScanSummary | null
}

export interface ScannerDeps {
  db: Db
  dataDir: string
  folders: () => MusicFolder[]
  options?: Partial<ScanOptions>
  logger?: Logger
  status?: StatusBoard
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  artistSeparators: DEFAULT_ARTIST_SEPARATORS,
  parseTimeoutMs: 10_000,
  workers: defaultWorkers(),
  // Files per write transaction. The main thread writes while the parser reads ahead; 250 took
  // ~25 ms, longer than the worker's queue lasted, 100 take ~10 ms.
  batchSize: 100,
}

const LOCK_RETRY_MS = 1000
const KEEP_SCANS = 500

/**
 * One parser thread per core beyond the first (which walks and writes), at least one, at most
 * two: each thread costs ~30 MB, and measured on 2 cores a second one gained little.
 */
function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1))
}

interface Pending {
  request: ScanRequest
  waiters: ((s: ScanSummary) => void)[]
}

function merge(a: ScanRequest, b: ScanRequest): ScanRequest {
  const targets = a.targets && b.targets ? [...a.targets, ...b.targets] : undefined
  return {
    full: a.full || b.full,
    trigger: a.trigger === b.trigger ? a.trigger : `${a.trigger}+${b.trigger}`,
    targets,
  }
}

function lastSummary(db: Db): ScanSummary | null {
  const row = db
    .select()
    .from(scans)
    .where(ne(scans.status, 'running'))
    .orderBy(desc(scans.id))
    .limit(1)
    .get()
  if (!row) return null
  const stats = (row.stats ?? {}) as Record<string, number>
  const finishedAt = row.finishedAt ?? row.startedAt
  return {
    scanId: row.id,
    trigger: row.trigger,
    full: row.full,
    status: row.status as ScanSummary['status'],
    startedAt: row.startedAt,
    finishedAt,
    durationMs: finishedAt - row.startedAt,
    filesPerSecond: stats.filesPerSecond ?? 0,
    unreachable: [],
    total: stats.total ?? 0,
    done: stats.done ?? 0,
    added: stats.added ?? 0,
    updated: stats.updated ?? 0,
    removed: stats.removed ?? 0,
    unchanged: stats.unchanged ?? 0,
    problems: stats.problems ?? 0,
    ...(row.error ? { error: row.error } : {}),
  }
}

export function createScanner(deps: ScannerDeps) {
  const { db, logger } = deps
  const options: ScanOptions = { ...DEFAULT_SCAN_OPTIONS, ...deps.options }
  const events: Emitter<CatalogEvents> = createEmitter((err) =>
    logger?.error({ err }, 'catalog event listener failed'),
  )
  let state: ScanStatus['state'] = 'idle'
  let progress: ScanProgress | null = null
  let pending: Pending | null = null
  let loop: Promise<void> | null = null
  const closing = new AbortController()

  events.on('scan.progress', (p) =>
    deps.status?.set('scanner', {
      status: 'working',
      phase: p.phase,
      done: p.done,
      total: p.total,
      filesPerSecond: p.filesPerSecond,
    }),
  )
  events.on('scan.finished', (s) =>
    deps.status?.set('scanner', {
      status: s.status === 'failed' ? 'failed' : 'ok',
      lastScan: {
        status: s.status,
        finishedAt: new Date(s.finishedAt).toISOString(),
        files: s.done,
        problems: s.problems,
      },
      ...(s.error ? { reason: s.error } : {}),
    }),
  )

  async function lock() {
    for (;;) {
      const held = await tryScanLock(deps.dataDir)
      if (held || closing.signal.aborted) return held
      if (state !== 'waiting') {
        logger?.info('another process is scanning this library; waiting for it')
        events.emit('scan.waiting', { since: Date.now() })
      }
      state = 'waiting'
      await new Promise((r) => setTimeout(r, LOCK_RETRY_MS))
    }
  }

  /** The summary of a scan that never ran: refused by a failure, or closed before it took the lock. */
  function unrun(
    request: ScanRequest | undefined,
    status: 'failed' | 'interrupted',
    error?: string,
  ): ScanSummary {
    const now = Date.now()
    return {
      scanId: 0,
      trigger: request?.trigger ?? 'unknown',
      full: request?.full ?? false,
      status,
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
      filesPerSecond: 0,
      unreachable: [],
      ...zeroCounts(),
      ...(error === undefined ? {} : { error }),
    }
  }

  async function drain(): Promise<void> {
    try {
      await runPending()
    } catch (err) {
      // Only infrastructure fails here (the lock file, the scans table); waiters still get an answer.
      logger?.error({ err }, 'scanner failed')
      const failed = pending
      pending = null
      const summary = unrun(failed?.request ?? current?.request, 'failed', (err as Error).message)
      for (const resolve of [...(current?.waiters ?? []), ...(failed?.waiters ?? [])]) resolve(summary)
      state = 'idle'
    }
  }

  let current: Pending | null = null

  async function runPending(): Promise<void> {
    while (pending && !closing.signal.aborted) {
      current = pending
      const { request, waiters } = pending
      pending = null
      // Running from the moment a request is taken (lock() says `waiting` if another process scans).
      state = 'running'
      const held = await lock()
      if (!held) {
        // Closed while another process scanned: the caller still gets an answer, and a CLI its summary.
        state = 'idle'
        const summary = unrun(request, 'interrupted')
        // A request may have queued during the wait (TypeScript cannot see the await change it).
        const queued = pending as Pending | null
        for (const resolve of [...waiters, ...(queued?.waiters ?? [])]) resolve(summary)
        pending = null
        current = null
        break
      }
      // The lock is ours, so a scan row still marked running belongs to a process that died.
      const resumed =
        db.update(scans).set({ status: 'interrupted' }).where(eq(scans.status, 'running')).returning().all()
          .length > 0
      state = 'running'
      logger?.info(
        { trigger: request.trigger, full: request.full, targets: request.targets?.length, resumed },
        'scan started',
      )
      let summary: ScanSummary
      try {
        let started = false
        summary = await runScan(
          {
            db,
            folders: deps.folders(),
            options,
            signal: closing.signal,
            onProgress: (p) => {
              progress = p
              events.emit(started ? 'scan.progress' : 'scan.started', p)
              started = true
            },
            onChanges: (c) => events.emit('tracks.changed', c),
          },
          request,
        )
      } finally {
        held.release()
        state = 'idle'
        progress = null
      }
      const log = summary.status === 'failed' ? logger?.error.bind(logger) : logger?.info.bind(logger)
      log?.({ ...summary }, 'scan finished')
      events.emit('scan.finished', summary)
      current = null
      // The run history is for status and debugging; the watcher alone adds one row per change.
      db.delete(scans)
        .where(lt(scans.id, summary.scanId - KEEP_SCANS))
        .run()
      for (const resolve of waiters) resolve(summary)
    }
  }

  /** Queues a scan (merged with one already queued); resolves when the run that covered it ends. */
  function scan(request: ScanRequest): Promise<ScanSummary> {
    return new Promise((resolve) => {
      if (closing.signal.aborted) return resolve(unrun(request, 'interrupted'))
      pending = pending
        ? { request: merge(pending.request, request), waiters: [...pending.waiters, resolve] }
        : { request, waiters: [resolve] }
      kick()
    })
  }

  function kick(): void {
    loop ??= drain().finally(() => {
      loop = null
      // A request made while the last run was finishing still gets its run.
      if (pending && !closing.signal.aborted) kick()
    })
  }

  return {
    events,
    options,
    scan,
    status(): ScanStatus {
      return { state, progress, queued: pending !== null, lastScan: lastSummary(db) }
    },
    /** Stops a running scan at the next file (its finished batches stay written). */
    async close(): Promise<void> {
      closing.abort()
      await loop
    },
  }
}

export type Scanner = ReturnType<typeof createScanner>
