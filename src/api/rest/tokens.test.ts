import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from '../testing.ts'

let t: TestApp
let anna: { id: number; token: string }
beforeEach(async () => {
  t = await testApp()
  anna = await t.user('anna')
})
afterEach(() => t.close())

const create = async (token: string, body: unknown) => {
  const res = await t.call('POST', '/api/tokens', { token, body })
  return {
    status: res.status,
    body: (await res.json()) as { secret: string; token: { id: number; scopes: string[] } },
  }
}

describe('API tokens', () => {
  it('shows the secret once, lists without it, and records last use', async () => {
    const made = await create(anna.token, { name: 'backup', scopes: ['read'], expiresInDays: 30 })
    expect(made.status).toBe(201)
    expect(made.body.secret).toMatch(/^tnr_a_[A-Za-z0-9_-]{43}$/)
    expect((await t.call('GET', '/api/auth/me', { token: made.body.secret })).status).toBe(200)
    const list = await (await t.call('GET', '/api/tokens', { token: anna.token })).text()
    expect(list).not.toContain(made.body.secret)
    expect(JSON.parse(list).items[0]).toMatchObject({
      name: 'backup',
      scopes: ['read'],
      expired: false,
      lastUsedAt: expect.any(String),
    })
  })

  it('expands scopes along the ladder and enforces them by method', async () => {
    const write = await create(anna.token, { name: 'w', scopes: ['write'] })
    expect(write.body.token.scopes).toEqual(['read', 'write'])
    const read = await create(anna.token, { name: 'r', scopes: ['read'] })
    const post = await t.call('POST', '/api/me/subsonic-password', { token: read.body.secret })
    expect(post.status).toBe(403)
    expect(((await post.json()) as { detail: string }).detail).toContain('write scope')
  })

  it('never exceeds the creator: not the role, not the creating token', async () => {
    expect((await create(anna.token, { name: 'a', scopes: ['admin'] })).status).toBe(403)
    const write = await create(anna.token, { name: 'w', scopes: ['write'] })
    expect((await create(write.body.secret, { name: 'w2', scopes: ['write'] })).status).toBe(201)
    const root = await t.user('root', 'admin')
    const adminWrite = await create(root.token, { name: 'aw', scopes: ['write'] })
    expect((await create(adminWrite.body.secret, { name: 'esc', scopes: ['admin'] })).status).toBe(403)
  })

  it('revocation takes effect on the very next request', async () => {
    const made = await create(anna.token, { name: 'x', scopes: ['read'] })
    expect((await t.call('GET', '/api/tokens', { token: made.body.secret })).status).toBe(200)
    expect((await t.call('DELETE', `/api/tokens/${made.body.token.id}`, { token: anna.token })).status).toBe(
      204,
    )
    const after = await t.call('GET', '/api/tokens', { token: made.body.secret })
    expect(after.status).toBe(401)
    expect(((await after.json()) as { detail: string }).detail).toContain('revoked')
    expect((await t.call('DELETE', `/api/tokens/${made.body.token.id}`, { token: anna.token })).status).toBe(
      404,
    )
  })

  it('expires', async () => {
    const made = await create(anna.token, { name: 'x', scopes: ['read'], expiresInDays: 1 })
    t.clock.advance(86_400_000 + 1)
    expect((await t.call('GET', '/api/tokens', { token: made.body.secret })).status).toBe(401)
    const list = (await (await t.call('GET', '/api/tokens', { token: anna.token })).json()) as {
      items: { expired: boolean }[]
    }
    expect(list.items[0]?.expired).toBe(true)
  })

  it('a Subsonic API key works for Subsonic only, never on /api', async () => {
    const key = await create(anna.token, { name: 'phone', scopes: ['read'], kind: 'subsonic' })
    expect(key.body.secret).toMatch(/^tnr_k_/)
    expect((await t.call('GET', '/api/auth/me', { token: key.body.secret })).status).toBe(401)
    expect(t.accounts.verifyApiKey(key.body.secret)?.username).toBe('anna')
    const api = await create(anna.token, { name: 'script', scopes: ['read'] })
    expect(t.accounts.verifyApiKey(api.body.secret)).toBeNull()
  })

  it('refuses a bearer header that is not a usable token, even with a valid cookie', async () => {
    for (const header of ['Basic YWJjOmRlZg==', 'Bearer', 'Bearer a b', `Bearer ${anna.token}x`]) {
      const res = await t.call('GET', '/api/auth/me', {
        headers: { authorization: header },
        cookie: anna.token,
      })
      expect({ header, status: res.status }).toEqual({ header, status: 401 })
    }
  })
})

describe('Subsonic app password', () => {
  it('is generated once, verifies both legacy forms, and is revocable', async () => {
    const res = await t.call('POST', '/api/me/subsonic-password', { token: anna.token })
    expect(res.status).toBe(201)
    const { password } = (await res.json()) as { password: string }
    expect(password).toHaveLength(20)
    expect(t.accounts.verifySubsonicPassword('anna', password)?.username).toBe('anna')
    expect(
      t.accounts.verifySubsonicPassword('anna', `enc:${Buffer.from(password).toString('hex')}`),
    ).not.toBeNull()
    expect(t.accounts.verifySubsonicPassword('anna', 'anna-password')).toBeNull()
    const salt = 'c19b2d'
    const token = new Bun.CryptoHasher('md5').update(password + salt).digest('hex')
    expect(t.accounts.verifySubsonicToken('anna', token, salt)?.userId).toBe(anna.id)
    expect(t.accounts.verifySubsonicToken('anna', token, 'other-salt')).toBeNull()
    const stored = t.sqlite.all<{ subsonic_password: string }>(
      'SELECT subsonic_password FROM users WHERE id = ?',
      anna.id,
    )[0]
    expect(stored?.subsonic_password).toStartWith('v1.')
    expect(stored?.subsonic_password).not.toContain(password)
    expect((await t.call('DELETE', '/api/me/subsonic-password', { token: anna.token })).status).toBe(204)
    expect(t.accounts.verifySubsonicPassword('anna', password)).toBeNull()
    expect((await t.call('DELETE', '/api/me/subsonic-password', { token: anna.token })).status).toBe(404)
  })

  it('a sealed password copied onto another user does not open', async () => {
    const bob = await t.user('bob')
    await t.call('POST', '/api/me/subsonic-password', { token: anna.token })
    t.sqlite.exec(
      `UPDATE users SET subsonic_password = (SELECT subsonic_password FROM users WHERE id = ${anna.id}) WHERE id = ${bob.id}`,
    )
    t.accounts.close()
    const reopened = await t.second()
    expect(reopened.accounts.verifySubsonicPassword('bob', 'anything-at-all')).toBeNull()
    expect(reopened.accounts.users.findByName('bob')?.hasSubsonicPassword).toBe(true)
  })

  it('throttles guessing', async () => {
    await t.call('POST', '/api/me/subsonic-password', { token: anna.token })
    for (let i = 0; i < 5; i++)
      expect(t.accounts.verifySubsonicPassword('anna', 'guess-guess', '10.0.0.9')).toBeNull()
    expect(() => t.accounts.verifySubsonicPassword('anna', 'guess-guess', '10.0.0.9')).toThrow(
      'too many failed attempts',
    )
  })
})
