// The shapes other modules see. A Principal is what every authenticated request carries; later
// domains (browse, streaming, playlists, Subsonic) read folder grants and limits from it.

export const ROLES = ['admin', 'user'] as const
export type Role = (typeof ROLES)[number]

export const SCOPES = ['read', 'write', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

export const TOKEN_KINDS = ['api', 'subsonic'] as const
/** `api`: bearer tokens for /api. `subsonic`: OpenSubsonic API keys, valid only on /rest. */
export type TokenKind = (typeof TOKEN_KINDS)[number]

/** How the principal proved who it is; the API edge uses it for CSRF and Subsonic for key rules. */
export type CredentialKind = 'session' | 'api' | 'subsonic' | 'proxy' | 'subsonic-password' | 'signed-url'

export interface Principal {
  userId: number
  username: string
  role: Role
  /** Effective scopes: the credential's scopes, never more than the role allows. */
  scopes: Scope[]
  /** Music folders this principal may see (all active folders for admins and "all" grants). */
  folderIds: number[]
  /** kbps; 0 means no limit. */
  maxBitrate: number
  canDownload: boolean
  canShare: boolean
  credential: { kind: CredentialKind; id: number | null }
}

/** "all" follows the library (folders added later included); a list is an explicit grant. */
export type FolderGrant = 'all' | number[]

export interface User {
  id: number
  username: string
  role: Role
  folders: FolderGrant
  maxBitrate: number
  canDownload: boolean
  canShare: boolean
  hasSubsonicPassword: boolean
  createdAt: string
  updatedAt: string
}

export interface NewUser {
  username: string
  password: string
  role?: Role
  folders?: FolderGrant
  maxBitrate?: number
  canDownload?: boolean
  canShare?: boolean
}

export interface UserPatch {
  username?: string
  role?: Role
  folders?: FolderGrant
  maxBitrate?: number
  canDownload?: boolean
  canShare?: boolean
  password?: string
  /** Needed when people change their own password, so a borrowed session cannot lock them out. */
  currentPassword?: string
}

/**
 * Who asks for a change, for permission checks and the audit log. No principal means the
 * machine's owner at the console (`tonearm user …`, TONEARM_ADMIN_PASSWORD), who may do anything.
 */
export interface Actor {
  principal?: Principal
  address?: string
  source?: 'cli' | 'env' | 'setup' | 'proxy'
}

export interface SessionInfo {
  id: number
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  address: string | null
  userAgent: string | null
  current: boolean
}

export interface TokenInfo {
  id: number
  kind: TokenKind
  name: string
  scopes: Scope[]
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  expired: boolean
}

export interface LoginResult {
  token: string
  expiresAt: string
  user: User
}
