import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dir, '..', '..')
export const BUN = join(ROOT, 'node_modules', '.bin', 'bun')

/** How to start Tonearm: from source, the compiled binary, the Node bundle, or the arm64 binary. */
export type Launcher = { name: string; command: string[] }

export const fromSource: Launcher = { name: 'source', command: [BUN, join(ROOT, 'src', 'main.ts')] }

export interface Running {
  url: string
  port: number
  proc: ChildProcess
  /** Every stdout JSON log line seen so far. */
  logs: Record<string, unknown>[]
  stderr: () => string
  exited: Promise<number | null>
  stop(signal?: NodeJS.Signals): Promise<number | null>
  /** fetch against this server, signed in as the admin when it was started with `admin: true`. */
  api(path: string, init?: RequestInit): Promise<Response>
}

/** The first admin a test server creates from TONEARM_ADMIN_PASSWORD when started with `admin: true`. */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password' }

export function tempDir(prefix = 'tonearm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The exit code once the child's output has been read too: 'exit' can come before the last
 * lines on a loaded machine (a server's "stopped cleanly" went missing). Bounded, since a
 * grandchild that kept the pipes open would otherwise hold the test up.
 */
function exitAfterOutput(child: ChildProcess): Promise<number | null> {
  const ended = (s: NodeJS.ReadableStream | null) =>
    s ? new Promise<void>((r) => s.once('end', () => r())) : Promise.resolve()
  const output = Promise.all([ended(child.stdout), ended(child.stderr)])
  return new Promise((res) =>
    child.once('exit', (code) => {
      void Promise.race([output, Bun.sleep(2000)]).then(() => res(code))
    }),
  )
}

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

/** Run a command to completion (for --help, --version, bad settings, backup). */
export function run(
  l: Launcher,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<Finished> {
  const [cmd, ...pre] = l.command
  const child = spawn(cmd as string, [...pre, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  child.stdin.end(opts.input ?? '')
  return exitAfterOutput(child).then((code) => ({ code, stdout, stderr }))
}

// Starts a real server on a free port (--port 0) and resolves once it logs the port it bound.
export function start(
  l: Launcher,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; admin?: boolean } = {},
): Promise<Running> {
  if (opts.admin) {
    const env = { TONEARM_ADMIN_USER: TEST_ADMIN.username, TONEARM_ADMIN_PASSWORD: TEST_ADMIN.password }
    return startServer(l, args, { ...opts, env: { ...env, ...opts.env } }).then(signIn)
  }
  return startServer(l, args, opts)
}

// Signs in as the test admin and makes `api` carry the bearer token.
async function signIn(server: Running): Promise<Running> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TEST_ADMIN),
  })
  if (res.status !== 200) throw new Error(`test admin could not sign in: ${res.status} ${await res.text()}`)
  const { token } = (await res.json()) as { token: string }
  server.api = (path, init = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    })
  return server
}

function startServer(
  l: Launcher,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<Running> {
  const [cmd, ...pre] = l.command
  const proc = spawn(cmd as string, [...pre, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, TONEARM_LOG_LEVEL: 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  let err = ''
  let buffered = ''
  proc.stderr?.on('data', (d) => (err += d))
  const exited = exitAfterOutput(proc)
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL')
      reject(new Error(`${l.name}: server did not start within ${opts.timeoutMs ?? 30000} ms\n${err}`))
    }, opts.timeoutMs ?? 30000)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${l.name}: server exited with ${code} before listening\n${err}`))
    })
    proc.stdout?.on('data', (d) => {
      buffered += d
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.trim()) continue
        let entry: Record<string, unknown>
        try {
          entry = JSON.parse(line)
        } catch {
          entry = { msg: line }
        }
        logs.push(entry)
        if (entry.msg === 'listening') {
          clearTimeout(timer)
          const port = entry.port as number
          resolvePromise({
            url: `http://127.0.0.1:${port}`,
            port,
            proc,
            logs,
            stderr: () => err,
            exited,
            api: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
            stop: async (signal = 'SIGTERM') => {
              if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
              return exited
            },
          })
        }
      }
    })
  })
}

/** Polls /api/health until `ready` says so; returns the last health body. */
export async function waitForHealth(
  url: string,
  ready: (body: HealthBody) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<HealthBody> {
  const deadline = Date.now() + timeoutMs
  let last: HealthBody | undefined
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.status === 200) {
        last = (await res.json()) as HealthBody
        if (ready(last)) return last
      }
    } catch {
      // not listening yet
    }
    await Bun.sleep(100)
  }
  throw new Error(`health never became ready; last: ${JSON.stringify(last)}`)
}

/** Waits until the server's first scan has finished (and, when asked, the search index is built). */
export async function waitForScanned(server: Running, opts: { search?: boolean } = {}): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const scan = (await (await server.api('/api/scan')).json()) as { state: string; lastScan: unknown }
    const searchReady =
      !opts.search ||
      ((await (await server.api('/api/health')).json()) as HealthBody).components.search?.status === 'ok'
    if (scan.state === 'idle' && scan.lastScan && searchReady) return
    await Bun.sleep(100)
  }
  throw new Error('the first scan never finished')
}

export interface HealthBody {
  status: string
  version: string
  components: Record<string, { status: string; [k: string]: unknown }>
}

export const libraryReady = (b: HealthBody) => b.components.library?.status === 'ok'
