import { and, desc, eq, lt, type SQL } from 'drizzle-orm'
import { auditLog } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Actor } from './types.ts'

export const AUDIT_ACTIONS = [
  'setup',
  'login',
  'logout',
  'user.create',
  'user.update',
  'user.delete',
  'password.change',
  'token.create',
  'token.revoke',
  'session.revoke',
  'credentials.revoke',
  'subsonic-password.create',
  'subsonic-password.revoke',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditEntry {
  id: number
  at: string
  action: AuditAction
  success: boolean
  actorId: number | null
  actorName: string | null
  target: string | null
  address: string | null
  detail: Record<string, unknown> | null
}

export interface AuditQuery {
  /** Entries older than this cursor (the id of the last entry of the previous page). */
  cursor?: number
  limit?: number
  action?: AuditAction
  actorId?: number
}

export interface Audit {
  record(
    action: AuditAction,
    actor: Actor,
    opts?: { success?: boolean; target?: string; detail?: Record<string, unknown>; actorName?: string },
  ): void
  list(query: AuditQuery): { items: AuditEntry[]; nextCursor: string | null }
  /** Deletes entries older than the retention period; run at start. */
  prune(olderThanMs: number): void
}

export function createAudit(deps: { db: Db; now: () => number }): Audit {
  const { db } = deps
  return {
    record(action, actor, opts = {}) {
      const who = actor.principal
      db.insert(auditLog)
        .values({
          at: new Date(deps.now()),
          action,
          success: opts.success ?? true,
          actorId: who?.userId ?? null,
          actorName: opts.actorName ?? who?.username ?? (actor.source ? `(${actor.source})` : null),
          target: opts.target ?? null,
          address: actor.address ?? null,
          detail: { ...(actor.source ? { source: actor.source } : {}), ...opts.detail },
        })
        .run()
    },
    list({ cursor, limit = 50, action, actorId }) {
      const where: SQL[] = []
      if (cursor !== undefined) where.push(lt(auditLog.id, cursor))
      if (action) where.push(eq(auditLog.action, action))
      if (actorId !== undefined) where.push(eq(auditLog.actorId, actorId))
      // Newest first, keyed on the id rather than an offset, so new entries never shift a page.
      const rows = db
        .select()
        .from(auditLog)
        .where(and(...where))
        .orderBy(desc(auditLog.id))
        .limit(limit + 1)
        .all()
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          action: r.action as AuditAction,
          success: r.success,
          actorId: r.actorId,
          actorName: r.actorName,
          target: r.target,
          address: r.address,
          detail: r.detail && Object.keys(r.detail).length > 0 ? r.detail : null,
        })),
        nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
      }
    },
    prune(olderThanMs) {
      const cutoff = new Date(deps.now() - olderThanMs)
      db.delete(auditLog).where(lt(auditLog.at, cutoff)).run()
    },
  }
}
