import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import { explainWorkerStartFailure, wasmWorkerUrl } from './assets.ts'
import { AudioEngineError, abortReason, FfmpegError, logTail } from './errors.ts'
import { invalidJobFileName } from './job.ts'
import type { AudioEngine, RunJob, RunResult } from './types.ts'
import type { RunRequest, WorkerMessage } from './wasm-protocol.ts'

/** A job that crashes a worker twice is rejected; once may be bad luck, twice is the input. */
const MAX_ATTEMPTS = 2

interface Task {
  job: RunJob
  attempts: number
  /** Output already reached a streaming consumer: a retry would repeat it, so none is made. */
  streamed?: boolean
  slot?: Slot
  settle(error: unknown, result?: RunResult): void
}

interface Slot {
  worker: Worker
  state: 'starting' | 'idle' | 'busy'
  task?: Task
  taskId?: number
  startFailed(reason: string): void
}

/** @ffmpeg/core in a pool of worker threads fed from one FIFO queue. */
export async function createWasmEngine(opts: { workers: number; logger?: Logger }): Promise<AudioEngine> {
  const { workers: size, logger } = opts
  const queue: Task[] = []
  const slots = new Set<Slot>()
  let closed = false
  let nextId = 1

  function spawn(): Promise<string> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(wasmWorkerUrl())
      const slot: Slot = {
        worker,
        state: 'starting',
        startFailed: (reason) =>
          reject(
            new AudioEngineError(`ffmpeg WASM worker failed to start: ${explainWorkerStartFailure(reason)}`),
          ),
      }
      slots.add(slot)
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          slot.state = 'idle'
          worker.unref()
          resolve(message.version)
          pump()
        } else if (message.id === slot.taskId) {
          if (message.type === 'crashed') {
            logger?.debug({ log: logTail(message.log) }, 'ffmpeg log before the WASM crash')
            lose(slot, message.reason)
          } else if (message.type === 'chunk') {
            if (slot.task) {
              slot.task.streamed = true
              slot.task.job.stream?.onData(message.data)
            }
          } else if (message.type === 'failed') fail(slot, message.reason)
          else finish(slot, message)
        }
      })
      worker.on('error', (error) => lose(slot, error instanceof Error ? error.message : String(error)))
      worker.on('exit', (code) => lose(slot, `worker exited with code ${code}`))
    })
  }

  function respawn(): void {
    spawn().catch((error: unknown) => logger?.error({ err: error }, 'could not replace ffmpeg WASM worker'))
  }

  /** The worker is gone or unusable: replace it and give its job one more try elsewhere. */
  function lose(slot: Slot, reason: string): void {
    if (!slots.delete(slot)) return
    void slot.worker.terminate()
    if (slot.state === 'starting') {
      slot.startFailed(reason)
      if (slots.size === 0) failQueue(new AudioEngineError(`ffmpeg WASM worker failed to start: ${reason}`))
      return
    }
    if (closed) return
    respawn()
    const task = slot.task
    if (!task) return
    task.slot = undefined
    task.attempts += 1
    // A streaming job that crashed before its first byte can start over as if nothing happened.
    if (task.attempts < MAX_ATTEMPTS && !task.streamed) {
      logger?.warn({ reason }, 'ffmpeg WASM worker crashed; retrying the job in a fresh worker')
      queue.unshift(task)
    } else {
      task.settle(
        new AudioEngineError(`ffmpeg WASM worker crashed ${task.attempts} times on this job: ${reason}`),
      )
    }
  }

  function fail(slot: Slot, reason: string): void {
    const task = release(slot)
    task?.settle(new AudioEngineError(reason))
    pump()
  }

  function release(slot: Slot): Task | undefined {
    const task = slot.task
    slot.state = 'idle'
    slot.task = undefined
    slot.taskId = undefined
    slot.worker.unref()
    return task
  }

  function finish(slot: Slot, message: Extract<WorkerMessage, { type: 'done' }>): void {
    const task = release(slot)
    if (task) {
      if (message.exitCode !== 0) task.settle(new FfmpegError(message.exitCode, message.log))
      else if (message.missing.length > 0) {
        task.settle(new AudioEngineError(`ffmpeg exited 0 but did not write ${message.missing.join(', ')}`))
      } else task.settle(undefined, { outputs: message.outputs, log: message.log })
    }
    pump()
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.state !== 'idle') continue
      const task = queue.shift()
      if (!task) return
      const id = nextId++
      slot.state = 'busy'
      slot.task = task
      slot.taskId = id
      task.slot = slot
      slot.worker.ref()
      const { args, inputs = {}, files = {}, outputs = [], stream } = task.job
      slot.worker.postMessage({
        type: 'run',
        id,
        args,
        inputs,
        files,
        outputs,
        stream: stream?.output,
      } satisfies RunRequest)
    }
  }

  function failQueue(error: Error): void {
    for (const task of queue.splice(0)) task.settle(error)
  }

  function abort(task: Task, reason: unknown): void {
    const queued = queue.indexOf(task)
    if (queued >= 0) queue.splice(queued, 1)
    const slot = task.slot
    task.settle(reason)
    // A running exec cannot be interrupted; only killing its thread stops it.
    if (slot) {
      slot.task = undefined
      lose(slot, 'job aborted')
    }
  }

  function run(job: RunJob): Promise<RunResult> {
    const invalid = invalidJobFileName(job)
    if (invalid) return Promise.reject(invalid)
    if (closed) return Promise.reject(new AudioEngineError('audio engine is closed'))
    const { signal } = job
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    // Slots lost to failed restarts are rebuilt on demand rather than in a retry loop.
    for (let missing = size - slots.size; missing > 0; missing--) respawn()
    return new Promise<RunResult>((resolve, reject) => {
      let settled = false
      const onAbort = () => signal && abort(task, abortReason(signal))
      const task: Task = {
        job,
        attempts: 0,
        settle(error, result) {
          if (settled) return
          settled = true
          signal?.removeEventListener('abort', onAbort)
          if (result) resolve(result)
          else reject(error)
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      queue.push(task)
      pump()
    })
  }

  async function close(): Promise<void> {
    if (closed) return
    closed = true
    const error = new AudioEngineError('audio engine is closed')
    failQueue(error)
    const all = [...slots]
    slots.clear()
    for (const slot of all) slot.task?.settle(error)
    await Promise.all(all.map((slot) => slot.worker.terminate()))
  }

  const started = Array.from({ length: size }, spawn)
  let version: string
  try {
    ;[version = 'unknown'] = await Promise.all(started)
  } catch (error) {
    await close()
    throw error
  }
  logger?.info({ workers: size, version }, 'ffmpeg WASM engine ready')
  return { kind: 'wasm', version: `ffmpeg ${version} (wasm)`, run, close }
}
