/** Messages between the worker pool (main thread) and wasm-worker.ts. */

export interface RunRequest {
  type: 'run'
  id: number
  args: string[]
  inputs: Record<string, Uint8Array>
  /** Bare name → host path, read lazily through a mounted file system. */
  files: Record<string, string>
  outputs: string[]
  /** Output name whose bytes are posted as `chunk` messages while ffmpeg writes them. */
  stream?: string
}

export type WorkerMessage =
  | { type: 'ready'; version: string }
  | {
      type: 'done'
      id: number
      exitCode: number
      log: string[]
      outputs: Record<string, Uint8Array>
      missing: string[]
    }
  | { type: 'chunk'; id: number; data: Uint8Array }
  /** The job could not start (e.g. a host file could not be opened); the worker is fine. */
  | { type: 'failed'; id: number; reason: string }
  /** The WASM instance trapped (e.g. "memory access out of bounds"); it is unusable from here on. */
  | { type: 'crashed'; id: number; reason: string; log: string[] }
