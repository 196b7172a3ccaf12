import type { Logger } from 'pino'

/** One ffmpeg invocation; file names are bare names inside the engine's per-job scratch directory. */
export interface RunJob {
  /** Arguments after `ffmpeg -nostdin -y`, which every engine prepends. */
  args: string[]
  /** Written into the job's scratch directory before ffmpeg starts. */
  inputs?: Record<string, Uint8Array>
  /**
   * Host files (bare name → absolute path) that ffmpeg reads in place: the WASM engine mounts
   * them rather than copying the whole file into the worker, the native one links them.
   */
  files?: Record<string, string>
  /**
   * One output delivered while ffmpeg writes it, for streams that should start before the encode
   * ends. The file is not seekable, so the muxer must not need to seek back (MP3, Ogg, ADTS, fMP4
   * are fine) and it must be named with `-f`. A streamed job is not retried after a crash: its
   * first bytes are already out.
   */
  stream?: { output: string; onData(chunk: Uint8Array): void }
  /** Read back from the scratch directory after ffmpeg exits successfully. */
  outputs?: string[]
  /** Aborting kills the running ffmpeg (a WASM worker is replaced) or drops the queued job. */
  signal?: AbortSignal
}

export interface RunResult {
  outputs: Record<string, Uint8Array>
  /** ffmpeg's log lines (stdout and stderr interleaved), capped at the most recent few thousand. */
  log: string[]
}

export interface AudioEngine {
  readonly kind: 'wasm' | 'native'
  /** Human-readable, e.g. "ffmpeg 5.1.4 (wasm)". */
  readonly version: string
  /** Rejects with an FfmpegError carrying the log tail when ffmpeg exits non-zero. */
  run(job: RunJob): Promise<RunResult>
  close(): Promise<void>
}

export interface AudioEngineOptions {
  engine: 'auto' | 'wasm' | 'native'
  /** Native ffmpeg binary; a bare name is looked up on PATH. Defaults to `ffmpeg`. */
  ffmpegPath?: string
  /** How many ffmpeg runs may proceed at once (WASM worker threads or native processes). Defaults to 1. */
  workers?: number
  logger?: Logger
}
