import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { connect, rawUpgrade } from '../../src/api/ws/testing.ts'
import {
  type Launcher,
  libraryReady,
  type Running,
  removeDir,
  run,
  start,
  TEST_ADMIN,
  tempDir,
  waitForHealth,
} from './server.ts'

const AUDIO = /\.(flac|mp3|ogg|m4a)$/

function audioFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => AUDIO.test(f))
}

// The same checks for every way Tonearm ships: from source, compiled, Node bundle, arm64 under qemu.
export function smokeSuite(
  launcher: Launcher,
  opts: { cwd?: string; startTimeoutMs?: number; demo?: boolean } = {},
) {
  describe(`smoke: ${launcher.name}`, () => {
    let data: string
    let server: Running

    beforeAll(async () => {
      data = tempDir()
      server = await start(launcher, ['--data', data], {
        cwd: opts.cwd,
        timeoutMs: opts.startTimeoutMs,
        admin: true,
      })
    })
    afterAll(async () => {
      await server?.stop('SIGKILL')
      removeDir(data)
    })

    it('prints its version', async () => {
      const r = await run(launcher, ['--version'], { cwd: opts.cwd })
      expect(r.code).toBe(0)
      expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    })

    it('answers /api/health with status and version', async () => {
      const body = await waitForHealth(server.url)
      expect(body.status).toBe('ok')
      expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
    })

    it('serves the embedded web app and its script', async () => {
      const page = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })
      expect(page.status).toBe(200)
      const html = await page.text()
      expect(html).toContain('<title>Tonearm</title>')
      const script = html.match(/src="\.?(\/[^"]+\.js)"/)?.[1]
      const js = await fetch(`${server.url}${script}`)
      expect(js.status).toBe(200)
      expect(js.headers.get('content-type')).toContain('javascript')
    })

    // Bun serves WebSockets natively, the Node bundle through the `ws` package: both must speak.
    it('opens the device channel over a WebSocket and says hello', async () => {
      expect((await rawUpgrade(server.url)).status).toBe(401)
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(TEST_ADMIN),
      })
      const { token } = (await login.json()) as { token: string }
      const socket = await connect(server.url, { protocols: ['tonearm.v1', `tonearm.bearer.${token}`] })
      expect(socket.ws.protocol).toBe('tonearm.v1')
      expect(await socket.next('hello', () => true, { timeoutMs: 10_000 })).toMatchObject({
        protocol: 1,
        user: { username: 'admin' },
      })
      const device = { id: crypto.randomUUID(), name: 'smoke', kind: 'other', capabilities: ['audio'] }
      expect((await socket.ask({ type: 'register', device }, 10_000)).type).toBe('registered')
      socket.close()
    })

    if (opts.demo !== false) {
      it('creates the demo library in the data directory', async () => {
        const body = await waitForHealth(server.url, libraryReady, 120_000)
        expect(body.components.audio?.status).toBe('ok')
        expect(audioFiles(join(data, 'demo-music')).length).toBeGreaterThanOrEqual(8)
      })

      // The scanner parses in a worker thread: a build that forgot its entry point fails here.
      it('catalogs the demo library', async () => {
        const body = await waitForHealth(
          server.url,
          (b) => b.components.scanner?.status !== undefined && b.components.scanner.status !== 'working',
          120_000,
        )
        expect(body.components.scanner).toMatchObject({
          status: 'ok',
          lastScan: { status: 'done', problems: 0 },
        })
        const albums = (await (await server.api('/api/albums')).json()) as { items: unknown[] }
        expect(albums.items.length).toBe(4)
      })

      // Under Bun the command first relaunches itself without FTL: from a compiled binary too.
      it('scans the same library from the command line beside the server', async () => {
        const r = await run(launcher, ['scan', '--data', data], { cwd: opts.cwd })
        expect(r.stderr).not.toContain('unexpected argument')
        expect(r.code).toBe(0)
        expect(r.stdout).toMatch(/0 added, 0 updated, 0 removed, \d+ unchanged, 0 problems/)
      })
    }

    it('stops cleanly on SIGTERM', async () => {
      expect(await server.stop('SIGTERM')).toBe(0)
      expect(server.logs.some((l) => l.msg === 'stopped cleanly')).toBe(true)
    })
  })
}
