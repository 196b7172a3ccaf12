import { spawn } from 'node:child_process'
import { readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { AudioEngineError, abortReason, FfmpegError } from './errors.ts'
import { createLogCollector, invalidJobFileName } from './job.ts'
import { createLimiter } from './limiter.ts'
import { locateExecutable } from './locate.ts'
import { createScratchDir, removeOrphanedScratchDirs } from './scratch-dir.ts'
import type { AudioEngine, RunJob, RunResult } from './types.ts'

const VERSION_TIMEOUT_MS = 10_000
/** As in the WASM engine: one crash may be bad luck, two is the input. */
const MAX_ATTEMPTS = 2

/** Finds a working ffmpeg (`ffmpeg -version` succeeds); null when there is none. */
export async function detectNativeFfmpeg(
  ffmpegPath = 'ffmpeg',
): Promise<{ path: string; version: string } | null> {
  const path = locateExecutable(ffmpegPath)
  if (!path) return null
  const firstLine = await new Promise<string | null>((done) => {
    const child = spawn(path, ['-version'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: VERSION_TIMEOUT_MS,
    })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
    })
    child.on('error', () => done(null))
    child.on('close', (code) => done(code === 0 ? (out.split('\n')[0] ?? '') : null))
  })
  const version = firstLine && /^ffmpeg version (\S+)/.exec(firstLine)?.[1]
  return version ? { path, version } : null
}

function runProcess(
  path: string,
  cwd: string,
  args: string[],
  signal?: AbortSignal,
  onStdout?: (chunk: Uint8Array) => void,
): Promise<{ code: number; log: string[]; killedBy: NodeJS.Signals | null }> {
  return new Promise((done, fail) => {
    const child = spawn(path, ['-nostdin', '-y', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
      // Its output is thrown away on abort, so there is nothing to let ffmpeg finish cleanly.
      killSignal: 'SIGKILL',
    })
    const log = createLogCollector()
    let partial = ''
    // ffmpeg redraws its progress line with \r; treat that as a line end like the WASM logger does.
    const collect = (chunk: string) => {
      const lines = (partial + chunk).split(/\r\n|\r|\n/)
      partial = lines.pop() ?? ''
      for (const line of lines) if (line) log.push(line)
    }
    if (onStdout) child.stdout.on('data', (chunk: Buffer) => onStdout(new Uint8Array(chunk)))
    else child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    child.on('error', (error) => fail(signal?.aborted ? abortReason(signal) : error))
    child.on('close', (code, killedBy) => {
      if (partial) log.push(partial)
      if (signal?.aborted) fail(abortReason(signal))
      else done({ code: code ?? (killedBy ? 128 : 1), log: log.lines(), killedBy })
    })
  })
}

/** Runs the system ffmpeg, one child process per job in a throwaway directory. */
export function createNativeEngine(opts: {
  path: string
  version: string
  workers: number
  logger?: Logger
}): AudioEngine {
  const limit = createLimiter(opts.workers)
  // Closing kills the ffmpeg processes still running rather than waiting for them.
  const closing = new AbortController()
  const inFlight = new Set<Promise<unknown>>()

  /**
   * A process that died from a signal we did not send (OOM killer, a crash, an admin's kill) is
   * run once more, as the WASM engine does with a crashed worker; twice is the input's fault.
   */
  async function runContained(dir: string, job: RunJob, signal: AbortSignal) {
    const { stream } = job
    // A streamed output goes to stdout; the muxer is named with -f, as for the WASM device.
    const args = stream ? job.args.map((a) => (a === stream.output ? 'pipe:1' : a)) : job.args
    for (let attempt = 1; ; attempt++) {
      const result = await runProcess(opts.path, dir, args, signal, stream?.onData)
      if (!result.killedBy) return result
      if (attempt >= MAX_ATTEMPTS || stream) {
        throw new AudioEngineError(`ffmpeg was killed by ${result.killedBy} ${attempt} times on this job`)
      }
      opts.logger?.warn({ signal: result.killedBy }, 'ffmpeg was killed; retrying the job once')
    }
  }

  async function runInTempDir(job: RunJob): Promise<RunResult> {
    const signal = job.signal ? AbortSignal.any([job.signal, closing.signal]) : closing.signal
    const dir = await createScratchDir()
    try {
      for (const [name, data] of Object.entries(job.inputs ?? {})) await writeFile(join(dir, name), data)
      for (const [name, path] of Object.entries(job.files ?? {})) await symlink(path, join(dir, name))
      const { code, log } = await runContained(dir, job, signal)
      if (code !== 0) throw new FfmpegError(code, log)
      const outputs: Record<string, Uint8Array> = {}
      for (const name of job.outputs ?? []) {
        try {
          const data = await readFile(join(dir, name))
          outputs[name] = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        } catch {
          throw new AudioEngineError(`ffmpeg exited 0 but did not write ${name}`)
        }
      }
      return { outputs, log }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  removeOrphanedScratchDirs().catch((error: unknown) =>
    opts.logger?.warn({ err: error }, 'could not remove scratch dirs of killed ffmpeg jobs'),
  )
  opts.logger?.info(
    { path: opts.path, version: opts.version, workers: opts.workers },
    'native ffmpeg engine ready',
  )
  return {
    kind: 'native',
    version: `ffmpeg ${opts.version} (native)`,
    run(job) {
      const invalid = invalidJobFileName(job)
      if (invalid) return Promise.reject(invalid)
      if (closing.signal.aborted) return Promise.reject(abortReason(closing.signal))
      const running = limit(() => runInTempDir(job), job.signal)
      const settled = running.catch(() => undefined)
      inFlight.add(settled)
      void settled.finally(() => inFlight.delete(settled))
      return running
    },
    async close() {
      if (closing.signal.aborted) return
      const error = new AudioEngineError('audio engine is closed')
      limit.drain(error)
      closing.abort(error)
      // Resolve only once the killed processes' temp dirs are gone.
      await Promise.all(inFlight)
    },
  }
}
