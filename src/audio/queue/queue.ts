import { and, count, eq } from 'drizzle-orm'
import type { Logger } from 'pino'
import { audioJobs } from '../../db/schema/audio.ts'
import type { Db } from '../../platform/sqlite.ts'
import { abortReason } from '../engine/errors.ts'
import type { Source } from '../source.ts'
import { adoptOrphans, type Claim, claim, newOwner, releaseRunning, rowState } from './claims.ts'
import type { AudioMetrics } from './metrics.ts'

export const PRIORITIES = ['play', 'prefetch', 'background'] as const
export type Priority = (typeof PRIORITIES)[number]

export interface JobSpec {
  /** Names the output, so equal requests share one job. */
  key: string
  kind: string
  source: Source
  params: Record<string, unknown>
}

export type JobHandler = (spec: JobSpec, signal: AbortSignal) => Promise<void>

export interface QueueStats {
  pending: number
  running: number
  failed: number
  done: number
}

export interface JobQueue {
  /**
   * Runs the job once (joining an equal one already queued or running) and resolves when it is done.
   * With a signal, the caller may leave: the job is cancelled when every caller waiting with a
   * signal has left and nobody submitted it without one. Without a signal the job is kept.
   */
  submit(spec: JobSpec, opts: { priority: Priority; signal?: AbortSignal }): Promise<void>
  /** Stops a skipped track's jobs; background ladder work stays unless asked. Returns how many. */
  cancelSource(sourceId: string, opts?: { background?: boolean }): number
  stats(): QueueStats
  /** Resolves once nothing is pending or running. */
  idle(): Promise<void>
  close(): Promise<void>
}

interface Waiter {
  resolve(): void
  reject(error: unknown): void
  signal?: AbortSignal
  onAbort?: () => void
}

interface Job {
  id: number
  spec: JobSpec
  priority: number
  /** `elsewhere`: another process runs it; this one waits for the row to go. */
  state: 'pending' | 'running' | 'elsewhere'
  waiters: Set<Waiter>
  /** Someone submitted it without a signal (or it came back after a restart): only cancelSource stops it. */
  held: boolean
  express: boolean
  queuedAt: number
  controller?: AbortController
  /** Callbacks for when the job is gone from the queue (done, failed or cancelled). */
  afterSettle: (() => void)[]
}

/** A user waiting on play may use this many slots beyond `concurrency`, so background work never blocks them. */
const EXPRESS_SLOTS = 1
/** How often a job another process runs is looked at: a row read, for work that takes seconds. */
const ELSEWHERE_POLL_MS = 250

export function createJobQueue(opts: {
  db: Db
  handlers: Record<string, JobHandler>
  /** Jobs run at once for prefetch and background work (a play request may add one). */
  concurrency: number
  metrics: AudioMetrics
  logger?: Logger
}): JobQueue {
  const { db, handlers, metrics, logger } = opts
  const jobs = new Map<string, Job>()
  let running = 0
  let express = 0
  let done = 0
  let closed = false
  const idleWaiters: (() => void)[] = []
  const owner = newOwner()
  let poller: ReturnType<typeof setInterval> | undefined

  // A crash left these (running or waiting); their outputs were never committed to the cache, so
  // run them again. Rows of a live process (a server beside `tonearm transcode`) stay its own.
  for (const row of adoptOrphans(db, owner)) {
    const spec: JobSpec = {
      key: row.key,
      kind: row.kind,
      source: row.source as Source,
      params: row.params as JobSpec['params'],
    }
    jobs.set(row.key, {
      id: row.id,
      spec,
      priority: row.priority,
      state: 'pending',
      waiters: new Set(),
      held: true,
      express: false,
      queuedAt: Date.now(),
      afterSettle: [],
    })
  }

  const countFailed = (): number =>
    db.select({ n: count() }).from(audioJobs).where(eq(audioJobs.state, 'failed')).get()?.n ?? 0

  function refreshGauge(): void {
    metrics.jobs.reset()
    for (const job of jobs.values())
      metrics.jobs.inc({ state: job.state, priority: PRIORITIES[job.priority] })
    const failed = countFailed()
    if (failed > 0) metrics.jobs.set({ state: 'failed', priority: 'background' }, failed)
  }

  function settle(job: Job, error?: unknown): void {
    jobs.delete(job.spec.key)
    for (const w of job.waiters) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort)
      if (error === undefined) w.resolve()
      else w.reject(error)
    }
    job.waiters.clear()
    for (const callback of job.afterSettle.splice(0)) callback()
    refreshGauge()
    if (jobs.size === 0) for (const resolve of idleWaiters.splice(0)) resolve()
  }

  function cancel(job: Job, reason: unknown): void {
    if (job.state === 'running') job.controller?.abort(reason)
    else {
      // Another process may want the row too: only a row this queue owns is removed.
      if (job.state === 'pending')
        db.delete(audioJobs)
          .where(and(eq(audioJobs.id, job.id), eq(audioJobs.owner, owner)))
          .run()
      settle(job, reason)
    }
  }

  /** A job whose row another process has: done there, failed there, or still to wait for. */
  function elsewhere(job: Job, where: Claim | { outcome: 'pending' }): void {
    if (where.outcome === 'gone') {
      done += 1
      settle(job)
      return
    }
    if (where.outcome === 'failed') {
      settle(job, new Error(where.error))
      return
    }
    if (where.outcome === 'pending') {
      job.state = 'pending'
      return
    }
    job.state = 'elsewhere'
    poller ??= setInterval(() => {
      const waiting = [...jobs.values()].filter((j) => j.state === 'elsewhere')
      for (const j of waiting) elsewhere(j, rowState(db, j.spec.key))
      if (!waiting.some((j) => j.state === 'elsewhere')) {
        clearInterval(poller)
        poller = undefined
      }
      pump()
    }, ELSEWHERE_POLL_MS)
    poller.unref?.()
  }

  function next(): Job | undefined {
    let best: Job | undefined
    for (const job of jobs.values()) {
      if (job.state !== 'pending') continue
      if (!best || job.priority < best.priority || (job.priority === best.priority && job.id < best.id))
        best = job
    }
    return best
  }

  function pump(): void {
    while (!closed) {
      const job = next()
      if (!job) return
      const regular = running - express < opts.concurrency
      if (!regular && !(job.priority === 0 && express < EXPRESS_SLOTS)) return
      start(job, !regular)
    }
  }

  function start(job: Job, viaExpress: boolean): void {
    const claimed = claim(db, job.spec.key, owner)
    if (claimed.outcome !== 'claimed') {
      elsewhere(job, claimed)
      return
    }
    job.id = claimed.id
    const handler = handlers[job.spec.kind]
    job.state = 'running'
    job.express = viaExpress
    job.controller = new AbortController()
    running += 1
    if (viaExpress) express += 1
    const priority = PRIORITIES[job.priority] as Priority
    metrics.jobWait.observe({ priority }, (Date.now() - job.queuedAt) / 1000)
    refreshGauge()
    const end = metrics.jobDuration.startTimer({ kind: job.spec.kind, priority })
    const signal = job.controller.signal
    const work = handler
      ? handler(job.spec, signal)
      : Promise.reject(new Error(`no handler for audio job kind ${job.spec.kind}`))
    const release = () => {
      running -= 1
      if (job.express) express -= 1
    }
    work.then(
      () => {
        release()
        if (closed) return
        if (signal.aborted) return finish(job, 'cancelled', abortReason(signal))
        db.delete(audioJobs).where(eq(audioJobs.id, job.id)).run()
        end({ outcome: 'done' })
        done += 1
        settle(job)
        pump()
      },
      (error: unknown) => {
        release()
        // Closing: the row stays as it is and the next start runs the job again.
        if (closed) return
        if (signal.aborted) return finish(job, 'cancelled', abortReason(signal))
        logger?.warn({ key: job.spec.key, err: error }, 'audio job failed')
        finish(job, 'failed', error)
      },
    )

    function finish(j: Job, outcome: 'cancelled' | 'failed', error: unknown): void {
      if (outcome === 'cancelled') db.delete(audioJobs).where(eq(audioJobs.id, j.id)).run()
      else {
        const message = error instanceof Error ? error.message : String(error)
        db.update(audioJobs)
          .set({ state: 'failed', error: message.slice(0, 2000) })
          .where(eq(audioJobs.id, j.id))
          .run()
      }
      end({ outcome })
      settle(j, error)
      pump()
    }
  }

  function submit(spec: JobSpec, o: { priority: Priority; signal?: AbortSignal }): Promise<void> {
    if (closed) return Promise.reject(new Error('audio job queue is closed'))
    const { signal } = o
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    const priority = PRIORITIES.indexOf(o.priority)
    let job = jobs.get(spec.key)
    // Being cancelled (everyone had left): wait until it is gone, then start afresh.
    if (job?.controller?.signal.aborted) {
      const aborting = job
      return new Promise<void>((resolve, reject) => {
        aborting.afterSettle.push(() => submit(spec, o).then(resolve, reject))
      })
    }
    if (!job) {
      const fresh = { state: 'pending' as const, priority, error: null, owner }
      const row =
        db
          .insert(audioJobs)
          .values({
            key: spec.key,
            kind: spec.kind,
            sourceId: spec.source.id,
            source: spec.source,
            params: spec.params,
            priority,
            owner,
          })
          // A failed job asked for again gets another chance: the caller may know the file was
          // fixed. A pending or running row (another process's) is left to the claim in start().
          .onConflictDoUpdate({ target: audioJobs.key, set: fresh, setWhere: eq(audioJobs.state, 'failed') })
          .returning({ id: audioJobs.id })
          .get() ?? db.select({ id: audioJobs.id }).from(audioJobs).where(eq(audioJobs.key, spec.key)).get()
      if (!row) return submit(spec, o)
      job = {
        id: row.id,
        spec,
        priority,
        state: 'pending',
        waiters: new Set(),
        held: false,
        express: false,
        queuedAt: Date.now(),
        afterSettle: [],
      }
      jobs.set(spec.key, job)
    } else if (priority < job.priority) {
      job.priority = priority
      db.update(audioJobs).set({ priority }).where(eq(audioJobs.id, job.id)).run()
    }
    const current = job
    if (!signal) current.held = true
    const result = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal }
      if (signal) {
        waiter.onAbort = () => {
          current.waiters.delete(waiter)
          reject(abortReason(signal))
          const stillWanted = current.held || [...current.waiters].some((w) => !w.signal?.aborted)
          if (!stillWanted) cancel(current, abortReason(signal))
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      current.waiters.add(waiter)
    })
    refreshGauge()
    pump()
    return result
  }

  function cancelSource(sourceId: string, o: { background?: boolean } = {}): number {
    const reason = new DOMException(`jobs of source ${sourceId} were cancelled`, 'AbortError')
    let count = 0
    for (const job of [...jobs.values()]) {
      if (job.spec.source.id !== sourceId) continue
      if (job.priority === 2 && !o.background) continue
      cancel(job, reason)
      count += 1
    }
    return count
  }

  function stats(): QueueStats {
    return { pending: jobs.size - running, running, failed: countFailed(), done }
  }

  async function close(): Promise<void> {
    closed = true
    if (poller) clearInterval(poller)
    releaseRunning(db, owner)
    const reason = new Error('audio job queue is closed')
    // Rows stay in the database: the next start runs pending and interrupted jobs again.
    for (const job of jobs.values()) {
      job.controller?.abort(reason)
      for (const w of job.waiters) w.reject(reason)
    }
    jobs.clear()
    for (const resolve of idleWaiters.splice(0)) resolve()
  }

  refreshGauge()
  queueMicrotask(pump)
  return {
    submit,
    cancelSource,
    stats,
    idle: () => (jobs.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close,
  }
}
