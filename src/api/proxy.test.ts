import { afterEach, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from './testing.ts'

let t: TestApp
afterEach(() => t.close())

const PROXY = '10.0.0.2'

describe('behind a reverse proxy', () => {
  it('takes the client address from X-Forwarded-For only when the peer is trusted', async () => {
    t = await testApp({ trustedProxies: ['10.0.0.0/24'] })
    await t.user('anna')
    const login = (address: string, xff: string) =>
      t.call('POST', '/api/auth/login', {
        address,
        body: { username: 'anna', password: 'anna-password' },
        headers: { 'x-forwarded-for': xff },
      })
    await login(PROXY, '203.0.113.5, 10.0.0.7')
    await login('198.51.100.1', '203.0.113.77')
    // A client prepending its own hop proves nothing: the nearest untrusted hop wins.
    await login(PROXY, '1.1.1.1, 203.0.113.6')
    const addresses = t.accounts.audit.list({ action: 'login', limit: 3 }).items.map((e) => e.address)
    expect(addresses).toEqual(['203.0.113.6', '198.51.100.1', '203.0.113.5'])
  })

  it('signs in the user a trusted SSO proxy names in the auth header', async () => {
    t = await testApp({ trustedProxies: [PROXY], authHeader: 'remote-user' })
    await t.user('anna')
    const me = await t.call('GET', '/api/auth/me', { address: PROXY, headers: { 'remote-user': 'anna' } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { username: 'anna' }, credential: { kind: 'proxy' } })
    // The same header from anywhere else is just a header.
    expect(
      (await t.call('GET', '/api/auth/me', { address: '10.0.0.3', headers: { 'remote-user': 'anna' } }))
        .status,
    ).toBe(401)
    // Unknown users are refused unless creation is on.
    expect(
      (await t.call('GET', '/api/auth/me', { address: PROXY, headers: { 'remote-user': 'ghost' } })).status,
    ).toBe(401)
    expect(t.accounts.users.findByName('ghost')).toBeNull()
  })

  it('creates unknown users named by the proxy when asked to', async () => {
    t = await testApp({ trustedProxies: [PROXY], authHeader: 'remote-user', authHeaderCreateUsers: true })
    const me = await t.call('GET', '/api/auth/me', {
      address: PROXY,
      headers: { 'remote-user': 'newbie@example.com' },
    })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { username: 'newbie@example.com', role: 'user' } })
    expect(t.accounts.audit.list({ action: 'user.create' }).items[0]).toMatchObject({
      detail: { source: 'proxy' },
    })
    const bad = await t.call('GET', '/api/auth/me', { address: PROXY, headers: { 'remote-user': '../etc' } })
    expect(bad.status).toBe(400)
  })

  it('applies the CSRF check to proxy-authenticated writes, as to cookies', async () => {
    t = await testApp({ trustedProxies: [PROXY], authHeader: 'remote-user' })
    await t.user('anna')
    const post = (headers: Record<string, string>) =>
      t.call('POST', '/api/tokens', {
        address: PROXY,
        body: { name: 'x', scopes: ['read'] },
        headers: { 'remote-user': 'anna', 'x-forwarded-host': 'music.example.com', ...headers },
      })
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await post({ origin: 'https://music.example.com' })).status).toBe(201)
  })
})

describe('CORS', () => {
  it('is off by default: no CORS headers for any origin', async () => {
    t = await testApp()
    const res = await t.call('GET', '/api/health', { headers: { origin: 'https://app.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('answers only the configured origins, without credentials', async () => {
    t = await testApp({ corsOrigins: ['https://app.example'] })
    const pre = await t.call('OPTIONS', '/api/tokens', {
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull()
    const other = await t.call('GET', '/api/health', { headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})
