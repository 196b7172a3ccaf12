import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { type TestApp, testApp } from '../testing.ts'

let t: TestApp
let root: { id: number; token: string }
let anna: { id: number; token: string }
beforeEach(async () => {
  t = await testApp()
  root = await t.user('root', 'admin')
  anna = await t.user('anna')
})
afterEach(() => t.close())

const patch = (id: number, token: string, body: unknown) =>
  t.call('PATCH', `/api/users/${id}`, { token, body })

describe('users', () => {
  it('an admin creates a user with settings; new users get every folder by default', async () => {
    const res = await t.call('POST', '/api/users', {
      token: root.token,
      body: { username: 'kid', password: 'kid-password', maxBitrate: 128, canDownload: false },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      username: 'kid',
      role: 'user',
      folders: 'all',
      maxBitrate: 128,
      canDownload: false,
      canShare: true,
    })
    const dup = await t.call('POST', '/api/users', {
      token: root.token,
      body: { username: 'KID', password: 'kid-password' },
    })
    expect(dup.status).toBe(409)
  })

  it('names the bad field', async () => {
    const cases: [unknown, string][] = [
      [{ username: 'a b', password: 'long-enough' }, 'username'],
      [{ username: 'ok', password: 'short' }, 'password'],
      [{ username: 'ok', password: 'long-enough', role: 'root' }, 'role'],
      [{ username: 'ok', password: 'long-enough', maxBitrate: -1 }, 'maxBitrate'],
      [{ username: 'ok', password: 'long-enough', folders: 'some' }, 'folders'],
      [{ username: 'ok', password: 'long-enough', isAdmin: true }, 'isAdmin'],
    ]
    for (const [body, field] of cases) {
      const res = await t.call('POST', '/api/users', { token: root.token, body })
      expect({ field, status: res.status, body: await res.json() }).toMatchObject({
        status: 400,
        body: { field },
      })
    }
  })

  it('users change their own password only with the current one, and other sessions end', async () => {
    const other = (await t.accounts.auth.login('anna', 'anna-password', {})).token
    expect((await patch(anna.id, anna.token, { password: 'new-password' })).status).toBe(400)
    expect(
      (await patch(anna.id, anna.token, { password: 'new-password', currentPassword: 'wrong-one' })).status,
    ).toBe(401)
    const ok = await patch(anna.id, anna.token, {
      password: 'new-password',
      currentPassword: 'anna-password',
    })
    expect(ok.status).toBe(200)
    expect((await t.call('GET', '/api/auth/me', { token: anna.token })).status).toBe(200)
    expect((await t.call('GET', '/api/auth/me', { token: other })).status).toBe(401)
    expect((await t.accounts.auth.login('anna', 'new-password', {})).user.id).toBe(anna.id)
    expect(t.accounts.audit.list({ action: 'password.change' }).items.map((e) => e.success)).toEqual([
      true,
      false,
    ])
  })

  it('guessing the current password is throttled like signing in', async () => {
    for (let i = 0; i < 5; i++) {
      expect(
        (await patch(anna.id, anna.token, { password: 'new-password', currentPassword: `guess-${i}` }))
          .status,
      ).toBe(401)
    }
    const locked = await patch(anna.id, anna.token, {
      password: 'new-password',
      currentPassword: 'anna-password',
    })
    expect(locked.status).toBe(429)
    expect(locked.headers.get('retry-after')).toBe('1')
  })

  it('users cannot change their role or settings, nor anyone else', async () => {
    expect((await patch(anna.id, anna.token, { role: 'admin' })).status).toBe(403)
    expect((await patch(anna.id, anna.token, { maxBitrate: 0 })).status).toBe(403)
    expect((await patch(root.id, anna.token, { password: 'taken-over!' })).status).toBe(403)
  })

  it('an admin resets a password without knowing it, signing the user out everywhere', async () => {
    expect((await patch(anna.id, root.token, { password: 'reset-by-admin' })).status).toBe(200)
    expect((await t.call('GET', '/api/auth/me', { token: anna.token })).status).toBe(401)
  })

  it('promotion and demotion apply to the next request', async () => {
    expect((await t.call('GET', '/api/users', { token: anna.token })).status).toBe(403)
    expect((await patch(anna.id, root.token, { role: 'admin' })).status).toBe(200)
    expect((await t.call('GET', '/api/users', { token: anna.token })).status).toBe(200)
    expect((await patch(anna.id, root.token, { role: 'user' })).status).toBe(200)
    expect((await t.call('GET', '/api/users', { token: anna.token })).status).toBe(403)
  })

  it('deleting a user ends their sessions and tokens at once; the last admin stays', async () => {
    const token = t.accounts.tokens.create(
      t.accounts.auth.authenticate(anna.token)!,
      { name: 's', scopes: ['read'] },
      {},
    ).secret
    expect((await t.call('DELETE', `/api/users/${anna.id}`, { token: root.token })).status).toBe(204)
    expect((await t.call('GET', '/api/auth/me', { token: anna.token })).status).toBe(401)
    expect((await t.call('GET', '/api/auth/me', { token })).status).toBe(401)
    expect((await t.call('GET', `/api/users/${anna.id}`, { token: root.token })).status).toBe(404)
    const last = await t.call('DELETE', `/api/users/${root.id}`, { token: root.token })
    expect(last.status).toBe(409)
    expect(((await last.json()) as { detail: string }).detail).toContain('last admin')
  })

  it('revoking credentials signs out everywhere and drops the Subsonic password', async () => {
    const p = t.accounts.auth.authenticate(anna.token)!
    const key = t.accounts.tokens.create(p, { name: 'k', scopes: ['read'], kind: 'subsonic' }, {}).secret
    const password = t.accounts.subsonic.createPassword(p, {})
    expect(t.accounts.verifyApiKey(key)).not.toBeNull()
    expect((await t.call('DELETE', `/api/users/${anna.id}/credentials`, { token: root.token })).status).toBe(
      204,
    )
    expect(t.accounts.verifyApiKey(key)).toBeNull()
    expect(t.accounts.verifySubsonicPassword('anna', password)).toBeNull()
    expect((await t.call('GET', '/api/auth/me', { token: anna.token })).status).toBe(401)
  })
})

describe('audit log', () => {
  it('pages newest first with an opaque cursor and filters by action', async () => {
    for (let i = 0; i < 5; i++)
      await t.call('POST', '/api/tokens', { token: root.token, body: { name: `t${i}`, scopes: ['read'] } })
    const first = (await (
      await t.call('GET', '/api/audit?limit=2&action=token.create', { token: root.token })
    ).json()) as {
      items: { id: number; detail: { name: string } }[]
      nextCursor: string
    }
    expect(first.items.map((e) => e.detail.name)).toEqual(['t4', 't3'])
    const names: string[] = []
    let cursor: string | null = first.nextCursor
    while (cursor) {
      const page = (await (
        await t.call('GET', `/api/audit?limit=2&action=token.create&cursor=${cursor}`, { token: root.token })
      ).json()) as {
        items: { detail: { name: string } }[]
        nextCursor: string | null
      }
      names.push(...page.items.map((e) => e.detail.name))
      cursor = page.nextCursor
    }
    expect(names).toEqual(['t2', 't1', 't0'])
    for (const bad of ['limit=0', 'limit=501', 'cursor=abc', 'action=drop', 'foo=1']) {
      expect((await t.call('GET', `/api/audit?${bad}`, { token: root.token })).status).toBe(400)
    }
  })
})
