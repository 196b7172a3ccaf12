import { and, count, eq } from 'drizzle-orm'
import { scrobbleAccounts, scrobbleQueue } from '../../db/schema/index.ts'
import { invalid } from '../../lib/errors.ts'
import type { Db } from '../../platform/sqlite.ts'
import { fieldErrors } from '../validate.ts'
import type { Sealer } from './sealer.ts'
import { type Service, type ServiceSecret, secretSchemas } from './services.ts'

export interface ScrobblerStatus {
  service: Service
  connectedAt: number
  /** False once the service rejected the credentials; saving new ones re-enables it. */
  active: boolean
  disabledReason: string | null
  /** Submissions still waiting to be delivered. */
  pending: number
}

export interface ScrobbleAccounts {
  set(userId: number, service: Service, secret: unknown): ScrobblerStatus
  remove(userId: number, service: Service): boolean
  list(userId: number): ScrobblerStatus[]
  /** The decrypted credentials, or null when the account is gone. */
  secret(userId: number, service: Service): ServiceSecret | null
  disable(userId: number, service: Service, reason: string): void
}

const context = (userId: number, service: Service) => `scrobble:${userId}:${service}`

export function createScrobbleAccounts(deps: {
  db: Db
  sealer: Sealer
  now: () => number
  /** Whether the server has its own Last.fm API account configured. */
  lastfmConfigured: boolean
}): ScrobbleAccounts {
  const { db, sealer, now } = deps
  const where = (userId: number, service: Service) =>
    and(eq(scrobbleAccounts.userId, userId), eq(scrobbleAccounts.service, service))

  const list = (userId: number): ScrobblerStatus[] => {
    const pending = db
      .select({ service: scrobbleQueue.service, n: count() })
      .from(scrobbleQueue)
      .where(eq(scrobbleQueue.userId, userId))
      .groupBy(scrobbleQueue.service)
      .all()
    return db
      .select()
      .from(scrobbleAccounts)
      .where(eq(scrobbleAccounts.userId, userId))
      .orderBy(scrobbleAccounts.service)
      .all()
      .map((a) => ({
        service: a.service,
        connectedAt: a.connectedAt,
        active: a.disabledReason === null,
        disabledReason: a.disabledReason,
        pending: pending.find((p) => p.service === a.service)?.n ?? 0,
      }))
  }

  return {
    set(userId, service, input) {
      const parsed = secretSchemas[service].safeParse(input)
      if (!parsed.success) {
        const [first] = fieldErrors(parsed.error.issues)
        throw invalid(`${first?.path}: ${first?.message}`, { field: first?.path })
      }
      const secret = parsed.data
      if ('sessionKey' in secret && !(secret.apiKey && secret.apiSecret) && !deps.lastfmConfigured)
        throw invalid(
          'apiKey: this server has no Last.fm API account (settings lastfmApiKey and lastfmApiSecret); pass your own apiKey and apiSecret',
          { field: 'apiKey' },
        )
      if ('sessionKey' in secret && Boolean(secret.apiKey) !== Boolean(secret.apiSecret))
        throw invalid('apiSecret: apiKey and apiSecret go together', { field: 'apiSecret' })
      const sealed = sealer.seal(JSON.stringify(secret), context(userId, service))
      const t = now()
      // Replacing credentials keeps the original connection time, so no old plays get submitted.
      db.insert(scrobbleAccounts)
        .values({ userId, service, secret: sealed, connectedAt: t, updatedAt: t })
        .onConflictDoUpdate({
          target: [scrobbleAccounts.userId, scrobbleAccounts.service],
          set: { secret: sealed, disabledReason: null, updatedAt: t },
        })
        .run()
      return list(userId).find((s) => s.service === service) as ScrobblerStatus
    },
    remove(userId, service) {
      return db.transaction((tx) => {
        tx.delete(scrobbleQueue)
          .where(and(eq(scrobbleQueue.userId, userId), eq(scrobbleQueue.service, service)))
          .run()
        return tx.delete(scrobbleAccounts).where(where(userId, service)).returning().all().length > 0
      })
    },
    list,
    secret(userId, service) {
      const row = db
        .select({ secret: scrobbleAccounts.secret })
        .from(scrobbleAccounts)
        .where(where(userId, service))
        .get()
      if (!row) return null
      return JSON.parse(sealer.open(row.secret, context(userId, service))) as ServiceSecret
    },
    disable(userId, service, reason) {
      db.update(scrobbleAccounts)
        .set({ disabledReason: reason.slice(0, 500), updatedAt: now() })
        .where(where(userId, service))
        .run()
    },
  }
}
