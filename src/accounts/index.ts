// Accounts: users and their grants, passwords, browser sessions, API tokens, Subsonic credentials,
// login throttling and the audit log. The REST layer and (later) the Subsonic layer call into it;
// it never knows about HTTP.
export { type Accounts, type AccountsDeps, createAccounts } from './accounts.ts'
export { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from './audit.ts'
export type { Client } from './auth.ts'
export { DEFAULT_SCRYPT, type ScryptParams } from './passwords.ts'
export { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from './rules.ts'
export { hasScope, isAdmin } from './scopes.ts'
export { looksLikeSecret } from './secrets.ts'
export type { NewToken } from './tokens.ts'
export {
  type Actor,
  type CredentialKind,
  type FolderGrant,
  type LoginResult,
  type NewUser,
  type Principal,
  ROLES,
  type Role,
  SCOPES,
  type Scope,
  type SessionInfo,
  TOKEN_KINDS,
  type TokenInfo,
  type TokenKind,
  type User,
  type UserPatch,
} from './types.ts'
