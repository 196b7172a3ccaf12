import { setImmediate as nextTurn } from 'node:timers/promises'
import { inArray } from 'drizzle-orm'
import { Counter, Gauge, type Registry } from 'prom-client'
import { eventConsumers } from '../db/schema/index.ts'
import { invalid } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { Db } from '../platform/sqlite.ts'
import { type Consumer, consumeOnce, ensureCheckpoint, readCheckpoint, resetConsumer } from './consumer.ts'
import { head } from './log.ts'
import { createSleeper, type Sleeper } from './sleeper.ts'

export interface RunnerOptions {
  /** Events per transaction: bounds how long one consumer holds the event loop and the write lock. */
  batchSize: number
  /** How often an idle consumer looks for events appended by another process. */
  pollMs: number
  /**
   * After being woken from idle, how long a consumer waits for more events before its step.
   * Under load this turns many small batches into few larger ones (each step has a fixed cost:
   * a transaction, a read, a checkpoint); it adds at most this much to every event's lag.
   */
  lingerMs: number
  /** First retry delay after a failure; doubles per consecutive failure up to backoffMaxMs. */
  backoffBaseMs: number
  backoffMaxMs: number
}

export const defaultRunnerOptions: RunnerOptions = {
  batchSize: 1000,
  pollMs: 250,
  lingerMs: 10,
  backoffBaseMs: 1000,
  backoffMaxMs: 5 * 60_000,
}

export interface Runner {
  start(): void
  /** Called after appending: idle consumers look at the log now instead of at their next poll. */
  wake(): void
  /** Lets each loop finish its current step, then resolves; no transaction is left half-done. */
  stop(): Promise<void>
  /** Offset each consumer has committed, as of its last step in this process. */
  checkpoints(): Record<string, number>
  /** Resolves once every consumer has passed `offset` (tests and benchmarks). */
  reached(offset: number): Promise<void>
  /** Clears a consumer's state and checkpoint; it replays from offset 0. */
  rebuild(name: string): void
  /** Called after each committed step. */
  onAdvance(listener: (consumer: string, checkpoint: number) => void): () => void
}

interface LoopState {
  consumer: Consumer
  checkpoint: number
  failures: number
  sleeper: Sleeper
  done?: Promise<void>
}

export function createRunner(deps: {
  db: Db
  consumers: readonly Consumer[]
  logger: Logger
  registry: Registry
  options?: Partial<RunnerOptions>
}): Runner {
  const opts = { ...defaultRunnerOptions, ...deps.options }
  const { db, logger } = deps
  const states = deps.consumers.map(
    (consumer): LoopState => ({ consumer, checkpoint: 0, failures: 0, sleeper: createSleeper() }),
  )
  const listeners = new Set<(consumer: string, checkpoint: number) => void>()
  const names = states.map((s) => s.consumer.name)

  // Lag is read from the database at scrape time, so it also counts events appended by other
  // processes and stays truthful while a consumer is stuck in backoff.
  new Gauge({
    name: 'tonearm_events_consumer_lag',
    help: 'Events in the log that a consumer has not applied yet (head offset minus checkpoint)',
    labelNames: ['consumer'] as const,
    registers: [deps.registry],
    collect() {
      const h = head(db)
      const rows = db.select().from(eventConsumers).where(inArray(eventConsumers.name, names)).all()
      for (const name of names)
        this.set({ consumer: name }, h - (rows.find((r) => r.name === name)?.checkpoint ?? 0))
    },
  })
  const failures = new Counter({
    name: 'tonearm_events_consumer_failures_total',
    help: 'Failed consumer steps (each is retried after a backoff)',
    labelNames: ['consumer'] as const,
    registers: [deps.registry],
  })
  const applied = new Counter({
    name: 'tonearm_events_consumer_steps_total',
    help: 'Committed consumer steps',
    labelNames: ['consumer'] as const,
    registers: [deps.registry],
  })

  const backoff = (n: number) => Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.min(n - 1, 20))

  async function loop(s: LoopState): Promise<void> {
    const name = s.consumer.name
    while (!s.sleeper.closed) {
      let more: boolean
      try {
        const step = consumeOnce(db, s.consumer, opts.batchSize)
        more = step.more
        if (step.checkpoint !== s.checkpoint) {
          s.checkpoint = step.checkpoint
          applied.inc({ consumer: name })
          for (const l of listeners) l(name, step.checkpoint)
        }
        if (s.failures > 0) logger.info({ consumer: name, after: s.failures }, 'event consumer recovered')
        s.failures = 0
      } catch (err) {
        s.failures++
        failures.inc({ consumer: name })
        const retryInMs = backoff(s.failures)
        logger.error(
          { err, consumer: name, failures: s.failures, retryInMs },
          'event consumer failed; retrying',
        )
        await s.sleeper.sleep(retryInMs, { wakeable: false })
        continue
      }
      // Yield between batches so ingestion requests and the other consumers get their turn.
      if (more) await nextTurn()
      else if (head(db) <= s.checkpoint) {
        await s.sleeper.sleep(opts.pollMs)
        if (opts.lingerMs > 0) await s.sleeper.sleep(opts.lingerMs, { wakeable: false })
      }
    }
  }

  const onAdvance = (listener: (consumer: string, checkpoint: number) => void) => {
    listeners.add(listener)
    return () => void listeners.delete(listener)
  }

  return {
    start() {
      for (const s of states) {
        if (s.done) continue
        ensureCheckpoint(db, s.consumer.name)
        s.checkpoint = readCheckpoint(db, s.consumer.name)
        s.done = loop(s)
      }
    },
    wake() {
      for (const s of states) s.sleeper.wake()
    },
    async stop() {
      for (const s of states) s.sleeper.close()
      await Promise.all(states.map((s) => s.done))
    },
    rebuild(name) {
      const s = states.find((x) => x.consumer.name === name)
      if (!s) throw invalid(`no consumer named ${name} (consumers: ${names.join(', ')})`)
      resetConsumer(db, s.consumer)
      s.checkpoint = 0
      s.sleeper.wake()
    },
    checkpoints: () => Object.fromEntries(states.map((s) => [s.consumer.name, s.checkpoint])),
    reached(offset) {
      const ok = () => states.every((s) => s.checkpoint >= offset)
      if (ok()) return Promise.resolve()
      return new Promise((resolve) => {
        const off = onAdvance(() => {
          if (!ok()) return
          off()
          resolve()
        })
      })
    },
    onAdvance,
  }
}
