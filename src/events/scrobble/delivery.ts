import { and, asc, count, eq, isNull, lte, min } from 'drizzle-orm'
import { Counter, Gauge, type Registry } from 'prom-client'
import { scrobbleAccounts, scrobbleQueue } from '../../db/schema/index.ts'
import type { Logger } from '../../lib/logger.ts'
import type { Db } from '../../platform/sqlite.ts'
import { createSleeper } from '../sleeper.ts'
import type { ScrobbleAccounts } from './accounts.ts'
import { SERVICES, type Service, type ServiceClient, type Submission } from './services.ts'

export interface DeliveryOptions {
  /** Delay after the first transient failure; doubles per attempt up to retryMaxMs. */
  retryBaseMs: number
  retryMaxMs: number
  /** A listen that failed this many times is dropped (and logged). */
  maxAttempts: number
  /** Longest idle sleep; a new queue row wakes the worker at once. */
  pollMs: number
}

export const defaultDeliveryOptions: DeliveryOptions = {
  retryBaseMs: 30_000,
  retryMaxMs: 6 * 3_600_000,
  maxAttempts: 12,
  pollMs: 60_000,
}

export interface Delivery {
  start(): void
  wake(): void
  stop(): Promise<void>
}

type Item = typeof scrobbleQueue.$inferSelect

/**
 * One worker per service sends queued submissions one at a time and deletes each once the
 * service took it, so a play is sent once. The only way to send one twice is a crash between the
 * service's answer and the delete; both services deduplicate a listen by user, time and track.
 */
export function createDelivery(deps: {
  db: Db
  accounts: ScrobbleAccounts
  clients: Record<Service, ServiceClient>
  logger: Logger
  registry: Registry
  now: () => number
  options?: Partial<DeliveryOptions>
}): Delivery {
  const { db, accounts, logger, now } = deps
  const opts = { ...defaultDeliveryOptions, ...deps.options }
  const abort = new AbortController()
  const sleepers = Object.fromEntries(SERVICES.map((s) => [s, createSleeper()])) as Record<
    Service,
    ReturnType<typeof createSleeper>
  >
  let loops: Promise<void>[] = []

  const outcomes = new Counter({
    name: 'tonearm_scrobble_submissions_total',
    help: 'Scrobble submission attempts by service, kind and outcome',
    labelNames: ['service', 'kind', 'outcome'] as const,
    registers: [deps.registry],
  })
  new Gauge({
    name: 'tonearm_scrobble_queue',
    help: 'Submissions waiting to be delivered',
    labelNames: ['service'] as const,
    registers: [deps.registry],
    collect() {
      const rows = db
        .select({ service: scrobbleQueue.service, n: count() })
        .from(scrobbleQueue)
        .groupBy(scrobbleQueue.service)
        .all()
      for (const s of SERVICES) this.set({ service: s }, rows.find((r) => r.service === s)?.n ?? 0)
    },
  })

  // Only accounts that are not paused: their rows wait until the user saves working credentials.
  const active = (service: Service) =>
    and(eq(scrobbleQueue.service, service), isNull(scrobbleAccounts.disabledReason))
  const joined = () =>
    db
      .select({ q: scrobbleQueue })
      .from(scrobbleQueue)
      .innerJoin(
        scrobbleAccounts,
        and(
          eq(scrobbleAccounts.userId, scrobbleQueue.userId),
          eq(scrobbleAccounts.service, scrobbleQueue.service),
        ),
      )

  const nextDue = (service: Service): Item | undefined =>
    joined()
      .where(and(active(service), lte(scrobbleQueue.nextAttemptAt, now())))
      .orderBy(asc(scrobbleQueue.nextAttemptAt), asc(scrobbleQueue.id))
      .limit(1)
      .get()?.q

  const earliest = (service: Service): number | null =>
    db
      .select({ t: min(scrobbleQueue.nextAttemptAt) })
      .from(scrobbleQueue)
      .innerJoin(
        scrobbleAccounts,
        and(
          eq(scrobbleAccounts.userId, scrobbleQueue.userId),
          eq(scrobbleAccounts.service, scrobbleQueue.service),
        ),
      )
      .where(active(service))
      .get()?.t ?? null

  const remove = (id: number) => db.delete(scrobbleQueue).where(eq(scrobbleQueue.id, id)).run()
  const backoff = (attempts: number) => Math.min(opts.retryMaxMs, opts.retryBaseMs * 2 ** (attempts - 1))

  async function deliver(service: Service, item: Item): Promise<void> {
    const log = logger.child({ service, userId: item.userId, queueId: item.id, kind: item.kind })
    if (item.kind === 'now_playing' && item.expiresAt !== null && item.expiresAt <= now()) {
      remove(item.id)
      outcomes.inc({ service, kind: item.kind, outcome: 'expired' })
      return
    }
    let secret: ReturnType<ScrobbleAccounts['secret']>
    try {
      secret = accounts.secret(item.userId, service)
    } catch (err) {
      // The key file was replaced or the row damaged: the user has to enter the token again.
      accounts.disable(item.userId, service, `stored credentials cannot be read: ${(err as Error).message}`)
      return
    }
    if (!secret) return void remove(item.id)
    const outcome = await deps.clients[service].send(
      item.kind,
      JSON.parse(item.payload) as Submission,
      secret,
      abort.signal,
    )
    // Cut short by shutdown: leave the row as it was; the next start sends it.
    if (abort.signal.aborted) return
    if (outcome.ok) {
      remove(item.id)
      outcomes.inc({ service, kind: item.kind, outcome: 'sent' })
      return
    }
    outcomes.inc({ service, kind: item.kind, outcome: outcome.kind })
    if (outcome.kind === 'unauthorized') {
      log.warn({ reason: outcome.reason }, 'scrobbling paused: the service refused the credentials')
      accounts.disable(item.userId, service, outcome.reason)
      return
    }
    const attempts = item.attempts + 1
    // A rejected listen never succeeds; a now-playing notice is stale by the time a retry is due.
    if (outcome.kind === 'rejected' || item.kind === 'now_playing' || attempts >= opts.maxAttempts) {
      log.warn({ reason: outcome.reason, attempts }, 'scrobble dropped')
      remove(item.id)
      return
    }
    const retryInMs = backoff(attempts)
    log.info({ reason: outcome.reason, attempts, retryInMs }, 'scrobble failed; will retry')
    db.update(scrobbleQueue)
      .set({ attempts, nextAttemptAt: now() + retryInMs, lastError: outcome.reason.slice(0, 500) })
      .where(eq(scrobbleQueue.id, item.id))
      .run()
  }

  async function loop(service: Service): Promise<void> {
    const sleeper = sleepers[service]
    while (!sleeper.closed) {
      try {
        const item = nextDue(service)
        if (item) {
          await deliver(service, item)
          continue
        }
        const due = earliest(service)
        await sleeper.sleep(due === null ? opts.pollMs : Math.max(0, Math.min(opts.pollMs, due - now())))
      } catch (err) {
        logger.error({ err, service }, 'scrobble delivery failed; retrying')
        await sleeper.sleep(opts.pollMs, { wakeable: false })
      }
    }
  }

  return {
    start() {
      if (loops.length === 0) loops = SERVICES.map(loop)
    },
    wake() {
      for (const s of SERVICES) sleepers[s].wake()
    },
    async stop() {
      for (const s of SERVICES) sleepers[s].close()
      abort.abort()
      await Promise.all(loops)
    },
  }
}
