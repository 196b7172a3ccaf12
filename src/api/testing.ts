import { type AccountsFixture, accountsFixture } from '../accounts/testing.ts'
import { listMusicFolders } from '../catalog/index.ts'
import { createLogger } from '../lib/logger.ts'
import { createStatusBoard } from '../lib/status.ts'
import { type AppDeps, createApp, type SecurityOptions } from './app.ts'
import { createMetrics } from './metrics.ts'

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
  extra: Partial<Pick<AppDeps, 'webAssets' | 'events'>> | ((f: AccountsFixture) => Partial<AppDeps>) = {},
): Promise<TestApp> {
  const f = await accountsFixture()
  const app = createApp({
    version: '9.9.9',
    logger: createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'silent'),
    metrics: createMetrics(),
    status: createStatusBoard(),
    accounts: f.accounts,
    listFolders: () => listMusicFolders(f.sqlite.db),
    security,
    ...(typeof extra === 'function' ? extra(f) : extra),
  })
  return {
    ...f,
    app,
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
