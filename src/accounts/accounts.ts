import { createSecretBox } from '../lib/secret-box.ts'
import type { Db } from '../platform/sqlite.ts'
import { type Audit, createAudit } from './audit.ts'
import { type Auth, createAuth, type LoginThrottles } from './auth.ts'
import { createCredentialIndex } from './credential-index.ts'
import { createPasswordHasher, type ScryptParams } from './passwords.ts'
import { createSessions, type Sessions } from './sessions.ts'
import { createSetup, type Setup } from './setup.ts'
import { createSubsonic, type Subsonic } from './subsonic.ts'
import { createThrottle, LOGIN_THROTTLE } from './throttle.ts'
import { createTokens, type Tokens } from './tokens.ts'
import { createUserStore } from './user-store.ts'
import { createUsers, type Users } from './users.ts'

export interface AccountsDeps {
  db: Db
  /** 32 bytes from <data>/keys that seal Subsonic app passwords. */
  secretKey: Buffer
  sessionDays?: number
  /** The clock, replaceable so tests can walk through backoff and expiry without waiting. */
  now?: () => number
  /** Cheaper scrypt for tests; production uses the default. */
  scrypt?: ScryptParams
}

export interface Accounts {
  users: Users
  auth: Auth
  sessions: Sessions
  tokens: Tokens
  subsonic: Subsonic
  setup: Setup
  audit: Audit
  throttles: LoginThrottles
  /** What the Subsonic API calls; see subsonic.ts. */
  verifySubsonicPassword: Subsonic['verifyPassword']
  verifySubsonicToken: Subsonic['verifyToken']
  verifyApiKey: Subsonic['verifyApiKey']
  /** Starts noticing changes from other processes and writing last-used times in the background. */
  watch(): void
  /** Writes what is buffered and stops the background work; call before closing the database. */
  close(): void
}

const DAY = 86_400_000
const AUDIT_RETENTION = 365 * DAY

export function createAccounts(deps: AccountsDeps): Accounts {
  const { db } = deps
  const now = deps.now ?? Date.now
  const ttlMs = (deps.sessionDays ?? 30) * DAY
  const index = createCredentialIndex({ db, now, sessionTtlMs: ttlMs })
  index.load()
  const hasher = createPasswordHasher({ params: deps.scrypt })
  const audit = createAudit({ db, now })
  audit.prune(AUDIT_RETENTION)
  const throttles: LoginThrottles = {
    account: createThrottle({ ...LOGIN_THROTTLE.account, now }),
    address: createThrottle({ ...LOGIN_THROTTLE.address, now }),
  }
  const store = createUserStore(db)
  const sessions = createSessions({ db, index, audit, now, ttlMs })
  const tokens = createTokens({ db, index, audit, now })
  const users = createUsers({ db, store, index, hasher, sessions, tokens, throttles, audit, now })
  const auth = createAuth({ db, store, users, index, hasher, sessions, throttles, audit })
  const subsonic = createSubsonic({ db, index, box: createSecretBox(deps.secretKey), throttles, audit })
  const setup = createSetup({ db, store, index, hasher, sessions, audit, now })
  let stopWatching: (() => void) | undefined

  return {
    users,
    auth,
    sessions,
    tokens,
    subsonic,
    setup,
    audit,
    throttles,
    verifySubsonicPassword: subsonic.verifyPassword,
    verifySubsonicToken: subsonic.verifyToken,
    verifyApiKey: subsonic.verifyApiKey,
    watch() {
      stopWatching ??= index.watch()
    },
    close() {
      stopWatching?.()
      stopWatching = undefined
      index.flush()
    },
  }
}
