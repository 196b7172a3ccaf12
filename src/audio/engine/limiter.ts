import { abortReason } from './errors.ts'

interface Waiting {
  start(): void
  cancel(error: unknown): void
}

export interface Limiter {
  /** Runs `task` once fewer than `concurrency` others are running; FIFO; a queued task leaves on abort. */
  <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>
  /** Rejects everything still waiting. */
  drain(error: unknown): void
}

export function createLimiter(concurrency: number): Limiter {
  const waiting: Waiting[] = []
  let running = 0

  function next(): void {
    while (running < concurrency) {
      const item = waiting.shift()
      if (!item) return
      item.start()
    }
  }

  const limit = <T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal))
      const onAbort = () => {
        const index = waiting.indexOf(item)
        if (index >= 0) waiting.splice(index, 1)
        reject(signal && abortReason(signal))
      }
      const item: Waiting = {
        start() {
          signal?.removeEventListener('abort', onAbort)
          running += 1
          task()
            .then(resolve, reject)
            .finally(() => {
              running -= 1
              next()
            })
        },
        cancel(error) {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      waiting.push(item)
      next()
    })

  return Object.assign(limit, {
    drain(error: unknown) {
      for (const item of waiting.splice(0)) item.cancel(error)
    },
  })
}
