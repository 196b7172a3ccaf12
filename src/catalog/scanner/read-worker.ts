// A scanner worker thread: reads the files it is sent (phase 3) and posts back plain results.
// Parsing runs here, off the server's event loop, with synchronous reads; a worker that hangs
// on a hostile file is simply terminated by the pool.
import { parentPort, workerData } from 'node:worker_threads'
import { createMetadataParser } from './metadata-parser.ts'
import { readTrackFile } from './phase-3-read.ts'
import type { FileRef, ScanOptions } from './types.ts'

const options = workerData as ScanOptions
const port = parentPort
if (!port) throw new Error('read-worker.ts must run as a worker thread')
const parser = createMetadataParser()

port.on('message', async (task: { id: number; file: FileRef }) => {
  port.postMessage({ id: task.id, outcome: await readTrackFile(task.file, options, parser) })
})
port.postMessage({ ready: true })
