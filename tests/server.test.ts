import { Database } from 'bun:sqlite'
import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINE_OPTIONS } from '../src/compose/jsc-launch.ts'
import { freshDirs } from './helpers/dirs.ts'
import { fromSource, libraryReady, run, start, waitForHealth } from './helpers/server.ts'
import { smokeSuite } from './helpers/smoke.ts'

setDefaultTimeout(120_000)
smokeSuite(fromSource)

const fresh = freshDirs()

describe('bad settings stop the program with one line', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      'port out of range',
      ['--port', '99999'],
      {},
      /^tonearm: invalid setting port \(--port\): must be between 0 and 65535, got 99999$/,
    ],
    [
      'missing music folder',
      ['--music', '/nonexistent'],
      {},
      /^tonearm: invalid setting music: \/nonexistent does not exist$/,
    ],
    ['bad environment value', [], { TONEARM_PORT: 'abc' }, /^tonearm: invalid setting port \(TONEARM_PORT\)/],
    ['unknown flag', ['--prot', '1'], {}, /^tonearm: Unknown option '--prot'/],
    ['unknown command', ['frobnicate'], {}, /^tonearm: unknown command "frobnicate"/],
    [
      'unwritable data dir',
      ['--data', '/proc/tonearm'],
      {},
      /^tonearm: invalid setting data: cannot create \/proc\/tonearm/,
    ],
  ]
  for (const [name, args, env, expected] of cases) {
    it(name, async () => {
      const r = await run(fromSource, [...(args.includes('--data') ? [] : ['--data', fresh()]), ...args], {
        env,
      })
      expect(r.code).toBe(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(expected)
    })
  }
})

describe('listening', () => {
  it('names the port when it is already taken', async () => {
    const squatter = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('taken') })
    const port = squatter.port as number
    const r = await run(fromSource, ['--data', fresh(), '--port', String(port), '--host', '127.0.0.1'])
    squatter.stop(true)
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(`tonearm: invalid setting port: ${port} is already in use`)
  })
})

describe('data directory', () => {
  it('refuses a second server on the same data directory, naming the first', async () => {
    const data = fresh()
    const first = await start(fromSource, ['--data', data])
    const second = await run(fromSource, ['serve', '--data', data, '--port', '0'])
    expect(second.code).toBe(2)
    expect(second.stderr).toContain('another Tonearm server is already running')
    expect(second.stderr).toContain(`port ${first.port}`)
    await first.stop()
  })

  it('survives kill -9: restarts and the database passes integrity_check', async () => {
    const data = fresh()
    const first = await start(fromSource, ['--data', data])
    await waitForHealth(first.url, libraryReady, 120_000)
    await first.stop('SIGKILL')
    const again = await start(fromSource, ['--data', data])
    expect((await waitForHealth(again.url)).status).toBe('ok')
    const db = new Database(join(data, 'tonearm.db'))
    expect(db.query('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    db.close()
    expect(await again.stop()).toBe(0)
    // A clean stop checkpoints the WAL into the main file.
    expect(existsSync(join(data, 'tonearm.db-wal'))).toBe(false)
  })

  it('backs up while a server is running on the same data directory', async () => {
    const data = fresh()
    const server = await start(fromSource, ['--data', data])
    await waitForHealth(server.url)
    const dest = join(fresh(), 'backup')
    const r = await run(fromSource, ['backup', dest, '--data', data])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readdirSync(dest)).toContain('tonearm.db')
    const copy = new Database(join(dest, 'tonearm.db'), { readonly: true })
    expect(copy.query('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    expect(copy.query('SELECT count(*) AS n FROM __drizzle_migrations').get()).toMatchObject({
      n: expect.any(Number),
    })
    copy.close()
    const again = await run(fromSource, ['backup', dest, '--data', data])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('is not empty')
    await server.stop()
  })

  it('answers requests made right before SIGTERM, then exits 0', async () => {
    const server = await start(fromSource, ['--data', fresh()])
    await waitForHealth(server.url)
    const inflight = Array.from({ length: 20 }, () => fetch(`${server.url}/api/health`).then((r) => r.status))
    await Bun.sleep(5)
    server.proc.kill('SIGTERM')
    const statuses = await Promise.allSettled(inflight)
    for (const s of statuses) if (s.status === 'fulfilled') expect(s.value).toBe(200)
    expect(await server.exited).toBe(0)
  })
})

describe('start', () => {
  it('with the WASM engine, replaces itself with a copy started with its JavaScriptCore options, same pid', async () => {
    const server = await start(fromSource, ['--data', fresh(), '--engine', 'wasm'])
    await waitForHealth(server.url)
    const environ = readFileSync(`/proc/${server.proc.pid}/environ`, 'utf8').split('\0')
    for (const [k, v] of Object.entries(ENGINE_OPTIONS)) expect(environ).toContain(`${k}=${v}`)
    expect(await server.stop()).toBe(0)
  })
})

describe('command line', () => {
  it('--help lists the commands and every setting with its environment variable', async () => {
    const r = await run(fromSource, ['--help'])
    expect(r.code).toBe(0)
    for (const s of ['--music', '--data', '--port', '--host', 'TONEARM_PORT', 'TONEARM_MUSIC', 'backup']) {
      expect(r.stdout).toContain(s)
    }
  })
})
