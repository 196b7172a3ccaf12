import { type AccountsFixture, accountsFixture } from '../accounts/testing.ts'
import { listMusicFolders } from '../catalog/index.ts'
import {
  createDevices,
  createHub,
  type Devices,
  type DevicesDeps,
  type LiveHub,
  type LiveTopics,
} from '../devices/index.ts'
import { createEventRecorder, type EventRecorder } from '../devices/testing.ts'
import { createLogger } from '../lib/logger.ts'
import { createStatusBoard } from '../lib/status.ts'
import { type HttpServer, serveHttp } from '../platform/serve.ts'
import { type AppDeps, createApp, type SecurityOptions } from './app.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { SOCKET_LIMITS, socketTransport } from './ws/sockets.ts'

export interface CallOptions {
  token?: string
  cookie?: string
  body?: unknown
  /** Raw body text, sent as is (for malformed-body tests). */
  raw?: string
  headers?: Record<string, string>
  /** The socket peer; 127.0.0.1 unless given. */
  address?: string
}

export interface TestApp extends AccountsFixture {
  app: ReturnType<typeof createApp>
  devices: Devices
  hub: LiveHub
  metrics: Metrics
  /** What the device channel forwarded to the events pipeline (a real SQLite recorder). */
  events: EventRecorder
  /** Serves the app on a free loopback port through the real platform seam (HTTP and WebSockets). */
  listen(): Promise<HttpServer & { url: string }>
  call(method: string, path: string, opts?: CallOptions): Promise<Response>
  /** Creates a user through the domain and returns a session token for them. */
  user(
    name: string,
    role?: 'admin' | 'user',
    folders?: 'all' | number[],
  ): Promise<{ id: number; token: string }>
}

// The real app over a real SQLite file, called in process through app.request: everything but
// the socket, which the black-box tests in tests/ cover.
export async function testApp(
  security: Partial<SecurityOptions> = {},
  /** App dependencies to add (or a function of the fixture, for domains that share its database). */
  extra:
    | (Partial<Pick<AppDeps, 'webAssets' | 'sockets' | 'events'>> & { devices?: Partial<DevicesDeps> })
    | ((f: AccountsFixture) => Partial<AppDeps>) = {},
): Promise<TestApp> {
  const f = await accountsFixture()
  const { devices: devicesDeps, ...more } = typeof extra === 'function' ? extra(f) : extra
  const logger = createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'silent')
  const hub = createHub<LiveTopics>((err) => logger.error({ err }, 'hub'))
  const events = await createEventRecorder()
  const devices = createDevices({
    db: f.sqlite.db,
    hub,
    ingestEvents: events.ingest,
    ...(devicesDeps as Partial<DevicesDeps>),
  })
  const metrics = createMetrics()
  const app = createApp({
    version: '9.9.9',
    logger,
    metrics,
    status: createStatusBoard(),
    accounts: f.accounts,
    devices,
    listFolders: () => listMusicFolders(f.sqlite.db),
    security,
    ...more,
  })
  const servers: HttpServer[] = []
  return {
    ...f,
    app,
    devices,
    hub,
    metrics,
    events,
    async listen() {
      const limits = { ...SOCKET_LIMITS, ...more.sockets }
      const onError = (err: unknown) => logger.error({ err }, 'socket')
      const server = await serveHttp(app.fetch, {
        port: 0,
        host: '127.0.0.1',
        websocket: { ...socketTransport(limits), onError },
      })
      servers.push(server)
      return { ...server, url: `http://127.0.0.1:${server.port}` }
    },
    close() {
      // Servers stop in the background: closing their sockets needs no database.
      for (const s of servers) void s.stop()
      devices.close()
      events.close()
      f.close()
    },
    call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers }
      if (opts.token) headers.authorization = `Bearer ${opts.token}`
      if (opts.cookie) headers.cookie = `tonearm_session=${opts.cookie}`
      let body: string | undefined = opts.raw
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body)
        headers['content-type'] ??= 'application/json'
      }
      return Promise.resolve(
        app.request(
          `http://localhost${path}`,
          { method, headers, body },
          { remoteAddress: opts.address ?? '127.0.0.1' },
        ),
      )
    },
    async user(name, role = 'user', folders = 'all') {
      const created = await f.accounts.users.create(
        { username: name, password: `${name}-password`, role, folders },
        { source: 'cli' },
      )
      const { token } = await f.accounts.auth.login(name, `${name}-password`, {})
      return { id: created.id, token }
    },
  }
}
