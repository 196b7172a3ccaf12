import { afterEach, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from '../testing.ts'

let t: TestApp
afterEach(() => t.close())

const setup = (address: string, headers: Record<string, string> = {}) =>
  t.call('POST', '/api/setup', {
    address,
    body: { username: 'root', password: 'first-admin-pw' },
    headers: { host: 'localhost', origin: 'http://localhost', ...headers },
  })

describe('first-run setup', () => {
  it('is open from loopback and private networks while no user exists, then closes', async () => {
    t = await testApp()
    expect(await (await t.call('GET', '/api/setup')).json()).toEqual({
      needed: true,
      allowedFromHere: true,
      reason: null,
    })
    const res = await setup('192.168.1.30')
    expect(res.status).toBe(201)
    const body = (await res.json()) as { token: string; user: { role: string } }
    expect(body.user.role).toBe('admin')
    expect(res.headers.get('set-cookie')).toContain('tonearm_session=')
    expect((await t.call('GET', '/api/users', { token: body.token })).status).toBe(200)
    // Afterwards the route is no longer public, and even a signed-in caller cannot run it again.
    expect((await setup('192.168.1.30')).status).toBe(401)
    expect(
      (
        await t.call('POST', '/api/setup', {
          token: body.token,
          body: { username: 'x2', password: 'password-2' },
        })
      ).status,
    ).toBe(409)
    expect(await (await t.call('GET', '/api/setup')).json()).toMatchObject({ needed: false })
    const audit = t.accounts.audit.list({ action: 'setup' })
    expect(audit.items[0]).toMatchObject({ action: 'setup', target: 'root', address: '192.168.1.30' })
  })

  it('is refused from a public address unless setupFromAnyAddress is set', async () => {
    t = await testApp()
    const res = await setup('203.0.113.9')
    expect(res.status).toBe(403)
    expect(((await res.json()) as { detail: string }).detail).toContain('local network')
    expect(t.accounts.setup.needed()).toBe(true)
    t.close()
    t = await testApp({ setupFromAnyAddress: true })
    expect((await setup('203.0.113.9')).status).toBe(201)
  })

  it('does not trust a local-looking address behind a proxy it was not told to trust', async () => {
    t = await testApp()
    // An nginx on the same host makes every visitor come from 127.0.0.1.
    const res = await setup('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { detail: string }).detail).toContain('trustedProxies')
    t.close()
    t = await testApp({ trustedProxies: ['127.0.0.1'] })
    expect((await setup('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403)
    expect((await setup('127.0.0.1', { 'x-forwarded-for': '192.168.1.4' })).status).toBe(201)
  })

  it('checks the form like every other route', async () => {
    t = await testApp()
    const res = await t.call('POST', '/api/setup', { body: { username: 'root', password: 'short' } })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ field: 'password' })
  })

  it('serves an embedded page at /setup while needed, with its script under the CSP nonce', async () => {
    t = await testApp()
    const page = await t.call('GET', '/setup')
    expect(page.status).toBe(200)
    const html = await page.text()
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1]
    expect(html).toContain(`<script nonce="${nonce}">`)
    expect(html).toContain("fetch('/api/setup'")
    expect(html).not.toMatch(/src="https?:/)
    expect((await t.call('GET', '/setup', { address: '203.0.113.9' })).status).toBe(403)
    await setup('127.0.0.1')
    const done = await t.call('GET', '/setup')
    expect(await done.text()).toContain('Tonearm is set up')
  })
})

describe('TONEARM_ADMIN_PASSWORD', () => {
  it('creates the first admin once, and never touches an existing one', async () => {
    t = await testApp()
    const made = await t.accounts.setup.adminFromEnvironment('admin', 'from-the-env')
    expect(made?.role).toBe('admin')
    expect(await t.accounts.setup.adminFromEnvironment('admin', 'another-one')).toBeNull()
    expect((await t.accounts.auth.login('admin', 'from-the-env', {})).user.username).toBe('admin')
  })

  it('names the setting when the value is unusable', async () => {
    t = await testApp()
    await expect(t.accounts.setup.adminFromEnvironment('admin', 'short')).rejects.toThrow(
      'invalid setting adminPassword: must be at least 8 characters',
    )
    await expect(t.accounts.setup.adminFromEnvironment('no spaces', 'long-enough')).rejects.toThrow(
      'invalid setting adminUser:',
    )
  })
})
