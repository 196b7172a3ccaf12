import { Worker } from 'node:worker_threads'
import type { FileRef, ReadOutcome, ScanOptions } from './types.ts'

// Phase 3 in worker threads: the server's event loop stays free while a library is parsed,
// several cores can parse at once, and a file that hangs its worker costs only that worker.

/**
 * Files a worker reads before it is replaced by a fresh one: a backstop against anything the
 * parser keeps between files, set high because a fresh thread warms up again (~0.25 s of CPU);
 * the worker's own periodic collection is what keeps its memory flat.
 */
const RETIRE_AFTER = 20_000
/**
 * Queued per worker, so a worker never waits for the next message, even while this thread
 * writes a batch (~10–25 ms, when a file parses in ~0.3 ms); the worker reads them in order.
 */
const PER_WORKER = 64
const REFILL_AT = PER_WORKER / 2
/** A worker whose file runs this much past the parse deadline is presumed stuck and terminated. */
const HANG_GRACE_MS = 2000

/** Milliseconds both threads agree on: each thread's own origin plus its monotonic clock. */
export const clock = () => performance.timeOrigin + performance.now()

const fromSource = import.meta.url.endsWith('.ts')

/**
 * Where the worker script is: beside this file from source; in a build, beside the entry point,
 * which is where `bun build` puts each extra entry (scripts/build.ts lists it).
 */
export function readWorkerUrl(): URL {
  return new URL(fromSource ? './read-worker.ts' : './read-worker.js', import.meta.url)
}

interface Task {
  id: number
  file: FileRef
  attempts: number
  resolve: (o: ReadOutcome) => void
  reject: (err: Error) => void
}

interface Slot {
  worker: Worker
  started: boolean
  tasks: Task[]
  /**
   * Written by the worker: [id of the file it is reading (0 between files), when it began, in
   * ms after `clockBase`]. Results come back in lists, so the first task not yet answered may
   * be done already; this says which file a hang or crash is really on.
   */
  reading: Int32Array
  handled: number
  retiring: boolean
}

export interface ReadPool {
  /** Starts the workers now, so they load their code while the library is being counted. */
  warm(): void
  read(file: FileRef): Promise<ReadOutcome>
  /** How many reads to keep queued so no worker idles. */
  capacity: number
  close(): Promise<void>
}

export function createReadPool(options: ScanOptions): ReadPool {
  const slots = new Set<Slot>()
  const queue: Task[] = []
  let nextId = 1
  const clockBase = clock()
  let closed = false

  const fail = (task: Task, reason: 'timeout' | 'corrupt', message: string) =>
    task.resolve({ kind: 'problem', file: task.file, reason, message })

  function spawn(): Slot {
    const reading = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT))
    const worker = new Worker(readWorkerUrl(), {
      workerData: { options: { ...options }, reading, clockBase },
    })
    const slot: Slot = { worker, started: false, tasks: [], reading, handled: 0, retiring: false }
    worker.on('message', (m: { done?: { id: number; outcome: ReadOutcome }[] }) => {
      slot.started = true
      if (!m.done) return
      for (const { id, outcome } of m.done) {
        const i = slot.tasks.findIndex((t) => t.id === id)
        if (i < 0) continue
        const [task] = slot.tasks.splice(i, 1)
        slot.handled++
        task?.resolve(outcome)
      }
      if (slot.handled >= RETIRE_AFTER) slot.retiring = true
      pump()
    })
    worker.on('error', (err) => lose(slot, `the parser crashed: ${err.message}`))
    worker.on('exit', () => lose(slot, 'the parser thread exited'))
    slots.add(slot)
    return slot
  }

  /** A worker that never started (its script is missing from a build): nothing can be read. */
  function broken(message: string): void {
    closed = true
    const error = new Error(`the scanner's worker thread did not start: ${message}`)
    for (const task of queue.splice(0)) task.reject(error)
    for (const slot of slots) for (const task of slot.tasks.splice(0)) task.reject(error)
  }

  /** A worker died or hung: the file it was reading is to blame, the others it held are tried again. */
  function lose(slot: Slot, message: string, reason: 'timeout' | 'corrupt' = 'corrupt'): void {
    if (!slots.delete(slot)) return
    void slot.worker.terminate()
    if (!slot.started) {
      broken(message)
      return
    }
    // Between files (no id), the oldest unanswered one takes the blame, so a worker that keeps
    // dying still ends in a problem rather than a loop.
    const at = Math.max(
      0,
      slot.tasks.findIndex((t) => t.id === Atomics.load(slot.reading, 0)),
    )
    const [current] = slot.tasks.splice(at, 1)
    const rest = slot.tasks
    if (current) {
      current.attempts++
      if (reason === 'timeout' || current.attempts >= 2) fail(current, reason, message)
      else queue.unshift(current)
    }
    queue.unshift(...rest)
    pump()
  }

  function pump(): void {
    if (closed) return
    for (const slot of slots) {
      if (slot.retiring && slot.tasks.length === 0) {
        slots.delete(slot)
        slot.worker.removeAllListeners('exit')
        void slot.worker.terminate()
      }
    }
    // A worker is topped up once it is down to half its files, with one message for them all.
    for (const slot of slots) {
      if (slot.retiring || slot.tasks.length > REFILL_AT || queue.length === 0) continue
      const sent = queue.splice(0, PER_WORKER - slot.tasks.length)
      slot.tasks.push(...sent)
      slot.worker.postMessage(sent.map((t) => ({ id: t.id, file: t.file })))
    }
    const live = [...slots].filter((s) => !s.retiring).length
    if (queue.length > 0 && live < options.workers) {
      spawn()
      pump()
    }
  }

  // Deadlines are checked inside the parser on every read; this catches a worker stuck without reading.
  const watchdog = setInterval(() => {
    const now = clock() - clockBase
    for (const slot of slots)
      if (
        Atomics.load(slot.reading, 0) !== 0 &&
        now - Atomics.load(slot.reading, 1) > options.parseTimeoutMs + HANG_GRACE_MS
      )
        lose(slot, `parsing took longer than ${options.parseTimeoutMs} ms`, 'timeout')
  }, 500)
  watchdog.unref?.()

  return {
    capacity: options.workers * PER_WORKER * 2,
    warm() {
      while (!closed && slots.size < options.workers) spawn()
    },
    read(file) {
      if (closed) return Promise.reject(new Error('read pool is closed'))
      const outcome = new Promise<ReadOutcome>((resolve, reject) =>
        queue.push({ id: nextId++, file, attempts: 0, resolve, reject }),
      )
      pump()
      return outcome
    },
    async close() {
      closed = true
      clearInterval(watchdog)
      const all = [...slots]
      slots.clear()
      for (const slot of all) slot.worker.removeAllListeners('exit')
      await Promise.all(all.map((s) => s.worker.terminate()))
    },
  }
}
