import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from './testing.ts'

// Who may call what. Each row names a call and the status every kind of caller gets; a new route
// (browse, playlists, history…) adds a row, a new kind of caller adds a column. Sessions are sent
// as bearer tokens except `adminCookie`, which proves the cookie path reaches the same answers.

type Who =
  | 'anonymous'
  | 'user'
  | 'admin'
  | 'adminCookie'
  | 'userRead'
  | 'userWrite'
  | 'adminRead'
  | 'adminWrite'
  | 'adminFull'
  | 'subsonicKey'

interface Ctx {
  t: TestApp
  userId: number
  adminId: number
  /** A fresh throwaway user, for calls that destroy what they touch. */
  victim(): Promise<number>
  unique(): string
}

interface Row {
  call: string
  request: (ctx: Ctx) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown }
  expect: Record<Who, number>
}

const ALL_OK = (status: number, anonymous = 401): Record<Who, number> => ({
  anonymous,
  user: status,
  admin: status,
  adminCookie: status,
  userRead: status,
  userWrite: status,
  adminRead: status,
  adminWrite: status,
  adminFull: status,
  subsonicKey: 401,
})
// Admin powers need the admin role and, for tokens, the admin scope.
const ADMIN_ONLY = (status: number, readStatus = 403): Record<Who, number> => ({
  anonymous: 401,
  user: 403,
  admin: status,
  adminCookie: status,
  userRead: readStatus,
  userWrite: 403,
  adminRead: readStatus,
  adminWrite: 403,
  adminFull: status,
  subsonicKey: 401,
})
// Writing needs the write scope; read-only tokens get 403 whatever else is true.
const WRITERS = (status: number): Record<Who, number> => ({
  ...ALL_OK(status),
  userRead: 403,
  adminRead: 403,
})

const rows: Row[] = [
  {
    call: 'GET /api/health',
    request: () => ({ path: '/api/health' }),
    expect: { ...ALL_OK(200, 200), subsonicKey: 200 },
  },
  {
    call: 'GET /api/docs',
    request: () => ({ path: '/api/docs' }),
    expect: { ...ALL_OK(200, 200), subsonicKey: 200 },
  },
  { call: 'GET /api/auth/me', request: () => ({ path: '/api/auth/me' }), expect: ALL_OK(200) },
  { call: 'GET /api/folders', request: () => ({ path: '/api/folders' }), expect: ALL_OK(200) },
  { call: 'GET /api/tokens', request: () => ({ path: '/api/tokens' }), expect: ALL_OK(200) },
  { call: 'GET /api/sessions', request: () => ({ path: '/api/sessions' }), expect: ALL_OK(200) },
  { call: 'GET /api/users', request: () => ({ path: '/api/users' }), expect: ADMIN_ONLY(200) },
  { call: 'GET /api/audit', request: () => ({ path: '/api/audit' }), expect: ADMIN_ONLY(200) },
  {
    call: 'GET /api/users/{own id}',
    request: (c) => ({ path: `/api/users/${c.userId}` }),
    expect: { ...ALL_OK(200), adminRead: 403, adminWrite: 403 },
  },
  {
    call: 'GET /api/users/{admin id}',
    request: (c) => ({ path: `/api/users/${c.adminId}` }),
    expect: { ...ALL_OK(403), admin: 200, adminCookie: 200, adminRead: 200, adminWrite: 200, adminFull: 200 },
  },
  {
    call: 'POST /api/users',
    request: (c) => ({ path: '/api/users', body: { username: c.unique(), password: 'password-1' } }),
    expect: ADMIN_ONLY(201),
  },
  {
    call: 'PATCH /api/users/{user id} (settings)',
    request: (c) => ({ path: `/api/users/${c.userId}`, body: { maxBitrate: 320 } }),
    expect: ADMIN_ONLY(200),
  },
  {
    call: 'DELETE /api/users/{id}',
    request: async (c) => ({ path: `/api/users/${await c.victim()}` }),
    expect: ADMIN_ONLY(204),
  },
  {
    call: 'DELETE /api/users/{id}/credentials',
    request: async (c) => ({ path: `/api/users/${await c.victim()}/credentials` }),
    expect: ADMIN_ONLY(204),
  },
  {
    call: 'POST /api/tokens (read)',
    request: () => ({ path: '/api/tokens', body: { name: 'n', scopes: ['read'] } }),
    expect: WRITERS(201),
  },
  {
    call: 'POST /api/tokens (admin)',
    request: () => ({ path: '/api/tokens', body: { name: 'n', scopes: ['admin'] } }),
    expect: ADMIN_ONLY(201),
  },
  {
    call: 'POST /api/me/subsonic-password',
    request: () => ({ path: '/api/me/subsonic-password' }),
    expect: WRITERS(201),
  },
  {
    call: 'POST /api/setup (after setup)',
    request: (c) => ({ path: '/api/setup', body: { username: c.unique(), password: 'password-1' } }),
    expect: { ...WRITERS(409) },
  },
]

let t: TestApp
const creds = {} as Record<Who, string | undefined>
let ctx: Ctx

beforeAll(async () => {
  t = await testApp()
  const admin = await t.user('root', 'admin')
  const user = await t.user('anna')
  const adminP = t.accounts.auth.authenticate(admin.token)!
  const userP = t.accounts.auth.authenticate(user.token)!
  const token = (
    p: typeof adminP,
    scopes: ('read' | 'write' | 'admin')[],
    kind: 'api' | 'subsonic' = 'api',
  ) => t.accounts.tokens.create(p, { name: 'matrix', scopes, kind }, {}).secret
  Object.assign(creds, {
    anonymous: undefined,
    user: user.token,
    admin: admin.token,
    adminCookie: admin.token,
    userRead: token(userP, ['read']),
    userWrite: token(userP, ['write']),
    adminRead: token(adminP, ['read']),
    adminWrite: token(adminP, ['write']),
    adminFull: token(adminP, ['admin']),
    subsonicKey: token(userP, ['write'], 'subsonic'),
  })
  let n = 0
  ctx = {
    t,
    userId: user.id,
    adminId: admin.id,
    unique: () => `made${++n}`,
    victim: async () => (await t.user(`victim${++n}`)).id,
  }
})
afterAll(() => t.close())

describe('access matrix', () => {
  for (const row of rows) {
    const [method = 'GET'] = row.call.split(' ')
    for (const who of Object.keys(row.expect) as Who[]) {
      it(`${row.call} as ${who} → ${row.expect[who]}`, async () => {
        const { path, body } = await row.request(ctx)
        const secret = creds[who]
        const res = await t.call(method, path, {
          ...(who === 'adminCookie'
            ? { cookie: secret, headers: { origin: 'http://localhost', host: 'localhost' } }
            : { token: secret }),
          body,
        })
        expect(res.status).toBe(row.expect[who])
      })
    }
  }
})

// What each user owns must be invisible to everyone else, admins included: absent from their
// lists and a 404 (not a 403, which would confirm it exists) when addressed directly.
interface Owned {
  kind: string
  /** Creates one for the owner and returns its id. */
  create(ownerToken: string): Promise<number>
  list: string
  item: (id: number) => string
}

const owned: Owned[] = [
  {
    kind: 'API token',
    create: async (owner) => {
      const res = await t.call('POST', '/api/tokens', {
        token: owner,
        body: { name: 'mine', scopes: ['read'] },
      })
      return ((await res.json()) as { token: { id: number } }).token.id
    },
    list: '/api/tokens',
    item: (id) => `/api/tokens/${id}`,
  },
  {
    kind: 'session',
    create: async (owner) => {
      const res = await t.call('GET', '/api/sessions', { token: owner })
      return ((await res.json()) as { items: { id: number; current: boolean }[] }).items.find(
        (s) => s.current,
      )!.id
    },
    list: '/api/sessions',
    item: (id) => `/api/sessions/${id}`,
  },
]

describe('ownership', () => {
  for (const thing of owned) {
    it(`another user, even an admin, never sees or revokes someone's ${thing.kind}`, async () => {
      const anna = await t.user(`owner-${thing.kind.replace(' ', '-')}`)
      const others = [(await t.user(`other-${thing.kind.replace(' ', '-')}`)).token, creds.admin as string]
      const id = await thing.create(anna.token)
      const ids = async (token: string) =>
        (
          (await (await t.call('GET', thing.list, { token })).json()) as { items: { id: number }[] }
        ).items.map((i) => i.id)
      for (const other of others) {
        expect(await ids(other)).not.toContain(id)
        expect((await t.call('DELETE', thing.item(id), { token: other })).status).toBe(404)
      }
      expect(await ids(anna.token)).toContain(id)
      expect((await t.call('DELETE', thing.item(id), { token: anna.token })).status).toBe(204)
    })
  }
})

describe('folder grants', () => {
  it('a user sees only granted folders; admins see all whatever is stored', async () => {
    const folderIds = (await (await t.call('GET', '/api/folders', { token: creds.admin })).json()) as {
      items: { id: number; path: string }[]
    }
    const [first, second] = folderIds.items
    expect(first?.path).toBe('/music/family')
    const kid = await t.user('kid', 'user', [first!.id])
    const folders = (await (await t.call('GET', '/api/folders', { token: kid.token })).json()) as {
      items: Record<string, unknown>[]
    }
    expect(folders.items).toEqual([{ id: first!.id, name: 'family' }])
    const me = (await (await t.call('GET', '/api/auth/me', { token: kid.token })).json()) as {
      folderIds: number[]
    }
    expect(me.folderIds).toEqual([first!.id])
    const boss = await t.user('boss', 'admin', [second!.id])
    const bossMe = (await (await t.call('GET', '/api/auth/me', { token: boss.token })).json()) as {
      folderIds: number[]
    }
    expect(bossMe.folderIds).toEqual([first!.id, second!.id])
    const none = await t.user('nobody', 'user', [])
    const noneMe = (await (await t.call('GET', '/api/auth/me', { token: none.token })).json()) as {
      folderIds: number[]
    }
    expect(noneMe.folderIds).toEqual([])
  })

  it('a changed grant applies to the very next request', async () => {
    const kid = await t.user('kid2', 'user')
    const folders = async () =>
      ((await (await t.call('GET', '/api/auth/me', { token: kid.token })).json()) as { folderIds: number[] })
        .folderIds
    expect((await folders()).length).toBe(2)
    const res = await t.call('PATCH', `/api/users/${kid.id}`, { token: creds.admin, body: { folders: [1] } })
    expect(res.status).toBe(200)
    expect(await folders()).toEqual([1])
    const bad = await t.call('PATCH', `/api/users/${kid.id}`, { token: creds.admin, body: { folders: [99] } })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({
      field: 'folders',
      detail: 'folders: no music folder with id 99',
    })
  })
})
