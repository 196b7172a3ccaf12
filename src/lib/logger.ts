import pino, { type Logger } from 'pino'

export type { Logger }

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

// JSON lines on stdout: what journald, docker and `jq` all read. No pino transports, because
// they load worker files by path, which a single compiled executable cannot provide.
export function createLogger(
  level: LogLevel,
  destination: pino.DestinationStream = pino.destination(1),
): Logger {
  return pino(
    {
      level,
      base: { app: 'tonearm' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  )
}

/**
 * Resolves once what was logged has reached the file descriptor. pino.destination writes
 * asynchronously, and a process.exit right after logging lost the last lines now and then (the
 * server's "stopped cleanly" went missing in 1 of 4 test runs). At most `capMs`, for a closed pipe.
 */
export function flushed(logger: Logger, capMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const cap = setTimeout(resolve, capMs)
    logger.flush(() => {
      clearTimeout(cap)
      resolve()
    })
  })
}
