import type { Logger } from '../lib/logger.ts'

/**
 * Who is calling. The accounts branch owns authentication and the full shape; until its
 * middleware sets it, nothing does, and routes that need a user answer 401.
 */
export interface Principal {
  userId: number
  username: string
  role: 'admin' | 'user'
}

// What every request carries, set by the middleware in app.ts.
export type AppEnv = {
  Variables: {
    requestId: string
    log: Logger
    principal?: Principal
  }
}
