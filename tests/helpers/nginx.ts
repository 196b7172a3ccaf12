import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { ROOT } from './server.ts'

/** Debian's nginx (`apt-get install nginx`), or undefined when it is not installed. */
export function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']
  return dirs.map((d) => join(d, 'nginx')).find((p) => existsSync(p))
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

export interface Nginx {
  port: number
  url: string
  proc: ChildProcess
  stderr(): string
  stop(): Promise<void>
}

/**
 * Runs nginx in the foreground as a child of the test: one process (no master, so no user switch
 * and no daemon), every path inside `dir`, `http` holding the contents of an http block.
 */
export async function startNginx(
  binary: string,
  dir: string,
  http: (port: number) => string,
): Promise<Nginx> {
  const port = await freePort()
  for (const sub of ['logs', 'temp']) mkdirSync(join(dir, sub), { recursive: true })
  const conf = join(dir, 'nginx.conf')
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'temp', 'body')};
  proxy_temp_path ${join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'temp', 'scgi')};
  ${http(port)}
}
`,
  )
  const proc = spawn(binary, ['-p', dir, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr?.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const deadline = Date.now() + 10_000
  for (;;) {
    if (proc.exitCode !== null) {
      const log = existsSync(join(dir, 'logs', 'error.log'))
        ? readFileSync(join(dir, 'logs', 'error.log'), 'utf8')
        : ''
      throw new Error(`nginx exited with ${proc.exitCode}: ${stderr}${log}`)
    }
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    )
    if (up) break
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port} within 10 s: ${stderr}`)
    await Bun.sleep(50)
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    proc,
    stderr: () => stderr,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      await exited
    },
  }
}

/** docs/nginx.conf with this test's upstream, port and cache directory in place of the documented ones. */
export function documentedConfig(opts: { upstream: string; port: number; cacheDir: string }): string {
  const doc = readFileSync(join(ROOT, 'docs', 'nginx.conf'), 'utf8')
  const replaced = doc
    .replace('server 127.0.0.1:4747;', `server ${opts.upstream};`)
    .replace('listen 80;', `listen 127.0.0.1:${opts.port};`)
    .replace('/var/cache/nginx/tonearm', opts.cacheDir)
  for (const [from, what] of [
    ['server 127.0.0.1:4747;', 'upstream'],
    ['listen 80;', 'listen'],
    ['/var/cache/nginx/tonearm', 'cache path'],
  ]) {
    if (!doc.includes(from as string))
      throw new Error(`docs/nginx.conf no longer has the ${what} line "${from}"`)
  }
  return replaced
}
