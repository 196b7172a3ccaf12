import { and, eq } from 'drizzle-orm'
import { sessions } from '../db/schema/index.ts'
import { notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { CredentialIndex } from './credential-index.ts'
import { newSecret } from './secrets.ts'
import type { Actor, Principal, SessionInfo } from './types.ts'

export interface Sessions {
  /** Starts a session and returns its secret; the secret is never stored or shown again. */
  start(userId: number, client: { address?: string; userAgent?: string }): { secret: string; expiresAt: Date }
  /** Ends the session this secret belongs to; unknown secrets are ignored (logging out twice is fine). */
  end(principal: Principal, actor: Actor): void
  list(principal: Principal): SessionInfo[]
  revoke(principal: Principal, id: number, actor: Actor): void
  /** Signs a user out everywhere, except perhaps the session making the change. */
  revokeAll(userId: number, exceptSessionId?: number | null): void
}

export function createSessions(deps: {
  db: Db
  index: CredentialIndex
  audit: Audit
  now: () => number
  ttlMs: number
}): Sessions {
  const { db, index, audit } = deps

  const remove = (userId: number, id: number): boolean => {
    const gone = db
      .delete(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
      .returning({ id: sessions.id })
      .all()
    // Only forget what was actually deleted: the id alone may name someone else's session.
    if (gone.length === 0) return false
    index.remove('session', id)
    return true
  }

  return {
    start(userId, client) {
      const { secret, hash } = newSecret('session')
      const now = deps.now()
      const expiresAt = new Date(now + deps.ttlMs)
      const row = db
        .insert(sessions)
        .values({
          userId,
          tokenHash: hash,
          createdAt: new Date(now),
          lastUsedAt: new Date(now),
          expiresAt,
          address: client.address ?? null,
          // Kept short: it is shown in a list of sessions, not parsed.
          userAgent: client.userAgent?.slice(0, 200) ?? null,
        })
        .returning({ id: sessions.id })
        .get()
      index.add(hash, {
        kind: 'session',
        id: row.id,
        userId,
        scopes: null,
        expiresAt: expiresAt.getTime(),
        lastUsedAt: now,
      })
      return { secret, expiresAt }
    },
    end(principal, actor) {
      if (principal.credential.kind !== 'session' || principal.credential.id === null) return
      remove(principal.userId, principal.credential.id)
      audit.record('logout', actor)
    },
    list(principal) {
      // Only ever the caller's own sessions: the user id comes from the credential, not the request.
      const rows = db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, principal.userId))
        .orderBy(sessions.id)
        .all()
      return rows.flatMap((s) => {
        const live = index.get('session', s.id)
        if (!live?.expiresAt || !live.lastUsedAt || live.expiresAt <= deps.now()) return []
        return [
          {
            id: s.id,
            createdAt: s.createdAt.toISOString(),
            lastUsedAt: new Date(live.lastUsedAt).toISOString(),
            expiresAt: new Date(live.expiresAt).toISOString(),
            address: s.address,
            userAgent: s.userAgent,
            current: principal.credential.kind === 'session' && principal.credential.id === s.id,
          },
        ]
      })
    },
    revoke(principal, id, actor) {
      // Someone else's session id answers exactly like one that never existed.
      if (!remove(principal.userId, id)) throw notFound(`session ${id}`)
      audit.record('session.revoke', actor, { target: `session ${id}` })
    },
    revokeAll(userId, exceptSessionId = null) {
      const rows = db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all()
      for (const { id } of rows) if (id !== exceptSessionId) remove(userId, id)
    },
  }
}
