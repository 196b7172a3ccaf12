import { and, eq } from 'drizzle-orm'
import { apiTokens } from '../db/schema/index.ts'
import { forbidden, invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Audit } from './audit.ts'
import type { CredentialIndex } from './credential-index.ts'
import { expandScopes } from './scopes.ts'
import { newSecret } from './secrets.ts'
import type { Actor, Principal, Scope, TokenInfo, TokenKind } from './types.ts'

export interface NewToken {
  name: string
  scopes: Scope[]
  kind?: TokenKind
  expiresInDays?: number
}

export interface Tokens {
  /** Returns the secret once; only its hash is kept. */
  create(principal: Principal, input: NewToken, actor: Actor): { token: TokenInfo; secret: string }
  list(principal: Principal): TokenInfo[]
  revoke(principal: Principal, id: number, actor: Actor): void
  revokeAll(userId: number): void
}

const DAY = 86_400_000

export function createTokens(deps: {
  db: Db
  index: CredentialIndex
  audit: Audit
  now: () => number
}): Tokens {
  const { db, index, audit } = deps

  const info = (row: typeof apiTokens.$inferSelect): TokenInfo => {
    const live = index.get(row.kind, row.id)
    const lastUsed = live?.lastUsedAt ?? row.lastUsedAt?.getTime() ?? null
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      scopes: row.scopes as Scope[],
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: lastUsed === null ? null : new Date(lastUsed).toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
      expired: row.expiresAt !== null && row.expiresAt.getTime() <= deps.now(),
    }
  }

  return {
    create(principal, input, actor) {
      const name = input.name.trim()
      if (name.length === 0 || name.length > 100) {
        throw invalid('name: must be 1-100 characters', { field: 'name' })
      }
      if (input.scopes.length === 0) throw invalid('scopes: name at least one scope', { field: 'scopes' })
      const scopes = expandScopes(input.scopes)
      // A token is a copy of some of the creator's rights, never more: a user cannot mint an admin
      // token, and a read-only token cannot be used to mint a writing one.
      const beyond = scopes.filter((s) => !principal.scopes.includes(s))
      if (beyond.length > 0) {
        throw forbidden(`scopes: you cannot grant ${beyond.join(', ')}, which you do not have yourself`)
      }
      const days = input.expiresInDays
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
        throw invalid('expiresInDays: must be a whole number from 1 to 3650', { field: 'expiresInDays' })
      }
      const kind = input.kind ?? 'api'
      const { secret, hash } = newSecret(kind)
      const now = deps.now()
      const row = db
        .insert(apiTokens)
        .values({
          userId: principal.userId,
          kind,
          name,
          tokenHash: hash,
          scopes,
          createdAt: new Date(now),
          expiresAt: days === undefined ? null : new Date(now + days * DAY),
        })
        .returning()
        .get()
      index.add(hash, {
        kind,
        id: row.id,
        userId: principal.userId,
        scopes,
        expiresAt: row.expiresAt?.getTime() ?? null,
        lastUsedAt: null,
      })
      audit.record('token.create', actor, { target: `token ${row.id}`, detail: { name, kind, scopes } })
      return { token: info(row), secret }
    },
    list(principal) {
      return db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.userId, principal.userId))
        .orderBy(apiTokens.id)
        .all()
        .map(info)
    },
    revoke(principal, id, actor) {
      const gone = db
        .delete(apiTokens)
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, principal.userId)))
        .returning()
        .get()
      // Another user's token id is indistinguishable from one that does not exist.
      if (!gone) throw notFound(`token ${id}`)
      index.remove(gone.kind, gone.id)
      audit.record('token.revoke', actor, { target: `token ${id}`, detail: { name: gone.name } })
    },
    revokeAll(userId) {
      const gone = db.delete(apiTokens).where(eq(apiTokens.userId, userId)).returning().all()
      for (const t of gone) index.remove(t.kind, t.id)
    },
  }
}
