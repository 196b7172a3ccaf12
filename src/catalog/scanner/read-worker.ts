// A scanner worker thread: reads the files it is sent (phase 3) and posts back plain results.
// Parsing runs here, off the server's event loop, with synchronous reads; a worker that hangs
// on a hostile file is simply terminated by the pool.
import { parentPort, workerData } from 'node:worker_threads'
import { collectGarbage } from '../../platform/runtime.ts'
import { createMetadataParser } from './metadata-parser.ts'
import { readTrackFile } from './phase-3-read.ts'
import { clock } from './read-pool.ts'
import type { FileRef, ReadOutcome, ScanOptions } from './types.ts'

/**
 * Files between full collections. JavaScriptCore left a parse's garbage for later, and a worker
 * grew until the pool replaced it, which cost the new thread its warm-up (~0.25 s of CPU, JIT
 * and parser, each time); a collection here takes ~15 ms and keeps the thread's memory flat.
 */
const COLLECT_EVERY = 1000

const { options, reading, clockBase } = workerData as {
  options: ScanOptions
  reading: Int32Array
  clockBase: number
}
const port = parentPort
if (!port) throw new Error('read-worker.ts must run as a worker thread')
const parser = createMetadataParser()

// One file at a time, in the order sent. The pool keeps many files queued here so this thread
// does not wait while the main thread writes a batch (it did ~20 % of the time with four);
// started together, their parses would interleave at every awaited read, each holding its
// buffers meanwhile. Files arrive in lists and results leave in lists: a message each way per
// file cost ~20 µs of a ~300 µs file.
type Task = { id: number; file: FileRef }
const queue: Task[] = []
let running = false
let read = 0

/** Results go back at most this many at a time, and at most this late. */
const POST_EVERY = 16
const POST_AFTER_MS = 20

async function drain(): Promise<void> {
  running = true
  let done: { id: number; outcome: ReadOutcome }[] = []
  let since = 0
  for (let task = queue.shift(); task; task = queue.shift()) {
    if (done.length === 0) since = performance.now()
    // The pool's watchdog reads which file this is and since when (results may be held here).
    Atomics.store(reading, 1, clock() - clockBase)
    Atomics.store(reading, 0, task.id)
    done.push({ id: task.id, outcome: await readTrackFile(task.file, options, parser) })
    Atomics.store(reading, 0, 0)
    if (done.length >= POST_EVERY || queue.length === 0 || performance.now() - since > POST_AFTER_MS) {
      port?.postMessage({ done })
      done = []
    }
    if (++read % COLLECT_EVERY === 0) collectGarbage()
  }
  running = false
}

port.on('message', (tasks: Task[]) => {
  queue.push(...tasks)
  if (!running) void drain()
})
port.postMessage({ ready: true })
