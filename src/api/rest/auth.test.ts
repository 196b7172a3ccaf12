import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from '../testing.ts'

let t: TestApp
beforeEach(async () => {
  t = await testApp({ trustedProxies: ['10.9.9.9'] })
  await t.user('anna')
})
afterEach(() => t.close())

const login = (
  password = 'anna-password',
  opts: { address?: string; headers?: Record<string, string> } = {},
) => t.call('POST', '/api/auth/login', { body: { username: 'anna', password }, ...opts })

const cookieOf = (res: Response) => /tonearm_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]

describe('POST /api/auth/login', () => {
  it('sets an HttpOnly SameSite=Lax cookie and returns the same secret as a bearer token', async () => {
    const res = await login()
    expect(res.status).toBe(200)
    const body = (await res.json()) as { token: string; user: { username: string } }
    expect(body.user.username).toBe('anna')
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Secure')
    expect(cookieOf(res)).toBe(body.token)
    expect((await t.call('GET', '/api/auth/me', { token: body.token })).status).toBe(200)
    expect((await t.call('GET', '/api/auth/me', { cookie: body.token })).status).toBe(200)
  })

  it('marks the cookie Secure when a trusted proxy says the browser used https, and only then', async () => {
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.168.1.20' }
    expect(
      (await login(undefined, { address: '10.9.9.9', headers: https })).headers.get('set-cookie'),
    ).toContain('Secure')
    expect(
      (await login(undefined, { address: '10.1.1.1', headers: https })).headers.get('set-cookie'),
    ).not.toContain('Secure')
  })

  it('refuses a wrong password with 401 and a bad body with a 400 naming the field', async () => {
    expect((await login('wrong-password')).status).toBe(401)
    const res = await t.call('POST', '/api/auth/login', { body: { username: 'anna' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'invalid', field: 'password' })
    const extra = await t.call('POST', '/api/auth/login', {
      body: { username: 'a', password: 'b', admin: true },
    })
    expect(await extra.json()).toMatchObject({ status: 400, field: 'admin' })
  })
})

describe('logout and me', () => {
  it('logout ends the session: the same token is refused afterwards', async () => {
    const { token } = (await (await login()).json()) as { token: string }
    const out = await t.call('POST', '/api/auth/logout', { token })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    expect((await t.call('GET', '/api/auth/me', { token })).status).toBe(401)
  })

  it('me reports the effective rights and renews the cookie', async () => {
    const { token } = (await (await login()).json()) as { token: string }
    const res = await t.call('GET', '/api/auth/me', { cookie: token })
    expect(await res.json()).toMatchObject({ scopes: ['read', 'write'], credential: { kind: 'session' } })
    expect(cookieOf(res)).toBe(token)
  })
})

describe('throttling', () => {
  const retryAfter = (res: Response) => Number(res.headers.get('retry-after'))

  it('answers 429 with a growing Retry-After after repeated failures; success resets the account', async () => {
    for (let i = 0; i < 4; i++) expect((await login('wrong-password')).status).toBe(401)
    expect((await login('wrong-password')).status).toBe(401) // the fifth failure starts the backoff
    const first = await login('anna-password')
    expect(first.status).toBe(429)
    expect(first.headers.get('content-type')).toBe('application/problem+json')
    expect(await first.json()).toMatchObject({ code: 'busy', retryAfterSeconds: 1 })
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      t.clock.advance(retryAfter(await login('wrong-password')) * 1000 || 0)
      const res = await login('wrong-password')
      expect(res.status).toBe(401)
      const locked = await login('wrong-password')
      expect(locked.status).toBe(429)
      waits.push(retryAfter(locked))
    }
    expect(waits).toEqual([2, 4, 8, 16])
    t.clock.advance(16_000)
    expect((await login()).status).toBe(200)
    expect((await login('wrong-password')).status).toBe(401)
    expect((await login()).status).toBe(200)
  })

  it('also throttles one address trying many accounts', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) {
      const res = await t.call('POST', '/api/auth/login', {
        body: { username: `user${i}`, password: 'guess-guess' },
        address: '192.168.7.7',
      })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429])
    // Another address is unaffected.
    expect((await login(undefined, { address: '192.168.7.8' })).status).toBe(200)
  })
})

describe('CSRF', () => {
  let cookie: string
  beforeEach(async () => {
    cookie = ((await login().then((r) => r.json())) as { token: string }).token
  })
  const post = (headers: Record<string, string>, auth: 'cookie' | 'bearer' = 'cookie') =>
    t.call('POST', '/api/tokens', {
      [auth === 'cookie' ? 'cookie' : 'token']: cookie,
      body: { name: 'x', scopes: ['read'] },
      headers: { host: 'localhost', ...headers },
    })

  it('refuses cookie-authenticated writes without Origin/Referer or from another origin', async () => {
    expect((await post({})).status).toBe(403)
    const evil = await post({ origin: 'https://evil.example' })
    expect(evil.status).toBe(403)
    expect(((await evil.json()) as { detail: string }).detail).toContain('cross-site')
    expect((await post({ referer: 'https://evil.example/page' })).status).toBe(403)
    expect((await post({ origin: 'null' })).status).toBe(403)
  })

  it('accepts same-origin writes by Origin or Referer', async () => {
    expect((await post({ origin: 'http://localhost' })).status).toBe(201)
    expect((await post({ referer: 'http://localhost/settings' })).status).toBe(201)
  })

  it('exempts bearer requests, which browsers never send on their own', async () => {
    expect((await post({}, 'bearer')).status).toBe(201)
    expect((await post({ origin: 'https://evil.example' }, 'bearer')).status).toBe(201)
  })

  it('refuses a login posted from a foreign page', async () => {
    const res = await login(undefined, { headers: { origin: 'https://evil.example', host: 'localhost' } })
    expect(res.status).toBe(403)
  })
})
