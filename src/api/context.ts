import type { Logger } from '../lib/logger.ts'

// What every request carries, set by the middleware in app.ts.
export type AppEnv = {
  Variables: {
    requestId: string
    log: Logger
  }
}
