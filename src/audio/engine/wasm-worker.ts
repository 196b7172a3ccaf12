/**
 * Worker-thread entry that owns one @ffmpeg/core instance. `exec` blocks for seconds, which is
 * why it lives here and never on the main event loop. The build lists this file as an entrypoint.
 */
import { parentPort } from 'node:worker_threads'
import createFFmpegCore from '@ffmpeg/core'
import { readFfmpegWasm } from './assets.ts'
import { createLogCollector } from './job.ts'
import { mountHostFiles } from './lazy-files.ts'
import type { RunRequest, WorkerMessage } from './wasm-protocol.ts'

const JOB_DIR = '/job'

const port = parentPort
if (!port) throw new Error('wasm-worker must run in a worker thread')

// The core is an Emscripten build for web workers: it reads self.location while starting, even
// though with wasmBinary given it never fetches anything.
const web = globalThis as unknown as { self?: unknown; location?: unknown }
web.self ??= globalThis
web.location ??= { href: import.meta.url }

const core = await createFFmpegCore({ wasmBinary: await readFfmpegWasm() })
let log = createLogCollector()
core.setLogger(({ message }) => {
  // The core ends every run through abort(); that line is noise, not an error.
  if (message !== 'Aborted()') log.push(message)
})

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer)
}

// A character device that forwards what ffmpeg writes to the main thread while exec still runs.
const STREAM_DEVICE = core.FS.makedev(64, 0)
let streamingId: number | undefined
core.FS.registerDevice(STREAM_DEVICE, {
  write(_stream, buffer, offset, length) {
    if (streamingId !== undefined) {
      // `buffer` is the WASM heap (an Int8Array): copy the bytes out as a Uint8Array.
      const data = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length).slice()
      post({ type: 'chunk', id: streamingId, data }, [data.buffer as ArrayBuffer])
    }
    return length
  },
})

function probeVersion(): string {
  log = createLogCollector()
  core.reset()
  core.exec('-version')
  const first = log.lines()[0] ?? ''
  return /^ffmpeg version (\S+)/.exec(first)?.[1] ?? 'unknown'
}

/** Removes everything ffmpeg wrote, including directories an argument may have asked for. */
function removeTree(path: string): void {
  const fs = core.FS
  if (!fs.isDir(fs.stat(path).mode)) {
    fs.unlink(path)
    return
  }
  for (const name of fs.readdir(path)) {
    if (name !== '.' && name !== '..') removeTree(`${path}/${name}`)
  }
  fs.rmdir(path)
}

function run(request: RunRequest): void {
  log = createLogCollector()
  const fs = core.FS
  fs.mkdir(JOB_DIR)
  fs.chdir(JOB_DIR)
  let unmount: () => void = () => undefined
  try {
    try {
      unmount = mountHostFiles(core, JOB_DIR, request.files)
    } catch (error) {
      post({ type: 'failed', id: request.id, reason: error instanceof Error ? error.message : String(error) })
      return
    }
    for (const [name, data] of Object.entries(request.inputs)) fs.writeFile(name, data)
    if (request.stream) {
      fs.mkdev(`${JOB_DIR}/${request.stream}`, 0o666, STREAM_DEVICE)
      streamingId = request.id
    }
    core.reset()
    let exitCode: number
    try {
      exitCode = core.exec(...request.args)
      streamingId = undefined
    } catch (error) {
      streamingId = undefined
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      post({ type: 'crashed', id: request.id, reason, log: log.lines() })
      return
    }
    const outputs: Record<string, Uint8Array> = {}
    const missing: string[] = []
    const transfer: ArrayBuffer[] = []
    if (exitCode === 0) {
      for (const name of request.outputs) {
        try {
          const data = fs.readFile(name)
          outputs[name] = data
          if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength)
            transfer.push(data.buffer as ArrayBuffer)
        } catch {
          missing.push(name)
        }
      }
    }
    post({ type: 'done', id: request.id, exitCode, log: log.lines(), outputs, missing }, transfer)
  } finally {
    try {
      core.FS.chdir('/')
      // The job dir holds links into the mount, so it goes first.
      removeTree(JOB_DIR)
      unmount()
    } catch {
      // Only fails after a trap, and then the pool discards this worker anyway.
    }
  }
}

port.on('message', (request: RunRequest) => run(request))
post({ type: 'ready', version: probeVersion() })
