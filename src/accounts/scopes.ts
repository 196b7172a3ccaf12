import type { Principal, Role, Scope } from './types.ts'

// Scopes are a ladder, not a set: write includes read, admin includes both. Storing the closure
// keeps every check a plain `includes`.
const LADDER: Scope[] = ['read', 'write', 'admin']

export function expandScopes(scopes: readonly Scope[]): Scope[] {
  const top = Math.max(...scopes.map((s) => LADDER.indexOf(s)))
  return LADDER.slice(0, top + 1)
}

export function roleScopes(role: Role): Scope[] {
  return role === 'admin' ? [...LADDER] : ['read', 'write']
}

/** What a credential may do today: its own scopes cut down to the owner's current role. */
export function effectiveScopes(granted: readonly Scope[] | null, role: Role): Scope[] {
  const allowed = roleScopes(role)
  return granted === null ? allowed : allowed.filter((s) => granted.includes(s))
}

export const hasScope = (p: Pick<Principal, 'scopes'>, scope: Scope): boolean => p.scopes.includes(scope)

export const isAdmin = (p: Pick<Principal, 'role' | 'scopes'>): boolean =>
  p.role === 'admin' && p.scopes.includes('admin')
