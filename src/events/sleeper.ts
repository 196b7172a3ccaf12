// A timer a loop can sleep on and another part can cut short: ingestion wakes idle consumers,
// shutdown wakes everyone. Backoff sleeps ignore wake-ups so a failing consumer does not spin.

export interface Sleeper {
  sleep(ms: number, opts?: { wakeable?: boolean }): Promise<void>
  wake(): void
  /** Ends the current sleep and every later one at once. */
  close(): void
  readonly closed: boolean
}

export function createSleeper(): Sleeper {
  let pending: { resolve: () => void; timer: ReturnType<typeof setTimeout>; wakeable: boolean } | undefined
  let woken = false
  let closed = false
  const finish = () => {
    if (!pending) return
    clearTimeout(pending.timer)
    const { resolve } = pending
    pending = undefined
    resolve()
  }
  return {
    sleep(ms, { wakeable = true } = {}) {
      if (closed) return Promise.resolve()
      // A wake-up that arrived while the loop was busy must not be lost.
      if (wakeable && woken) {
        woken = false
        return Promise.resolve()
      }
      return new Promise<void>((resolve) => {
        pending = { resolve, timer: setTimeout(finish, ms), wakeable }
      })
    },
    wake() {
      if (pending?.wakeable) finish()
      else woken = true
    },
    close() {
      closed = true
      finish()
    },
    get closed() {
      return closed
    },
  }
}
