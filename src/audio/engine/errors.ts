/** ffmpeg ran and exited non-zero; `log` holds the tail that explains why. */
export class FfmpegError extends Error {
  override readonly name = 'FfmpegError'
  constructor(
    readonly exitCode: number,
    readonly log: string[],
  ) {
    super(`ffmpeg exited with code ${exitCode}:\n${logTail(log).join('\n')}`)
  }
}

/** The engine could not run the job at all (worker crashed twice, engine closed, output missing). */
export class AudioEngineError extends Error {
  override readonly name = 'AudioEngineError'
}

const TAIL_LINES = 15

export function logTail(log: string[], lines = TAIL_LINES): string[] {
  return log.slice(-lines)
}

/** Rejecting with the signal's own reason keeps AbortSignal.timeout() a TimeoutError, as fetch does. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError')
}
