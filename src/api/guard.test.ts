import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { principalOf, requireAdmin, requireScope } from './guard.ts'
import { type TestApp, testApp } from './testing.ts'

// Routes other modules add later, mounted the plain way: they are protected without asking, and
// the exported helpers narrow them further.
let t: TestApp
let tokens: Record<'read' | 'write' | 'admin' | 'userWrite', string>
beforeAll(async () => {
  t = await testApp()
  t.app.get('/api/later/plain', (c) =>
    c.json({ user: principalOf(c).username, folders: principalOf(c).folderIds }),
  )
  t.app.post('/api/later/plain', (c) => c.body(null, 204))
  t.app.get('/api/later/secret', requireScope('write'), (c) => c.body(null, 204))
  t.app.get('/api/later/admin', requireAdmin, (c) => c.body(null, 204))
  const root = await t.user('root', 'admin')
  const anna = await t.user('anna')
  const rootP = t.accounts.auth.authenticate(root.token)!
  const annaP = t.accounts.auth.authenticate(anna.token)!
  const mint = (p: typeof rootP, scope: 'read' | 'write' | 'admin') =>
    t.accounts.tokens.create(p, { name: scope, scopes: [scope] }, {}).secret
  tokens = {
    read: mint(rootP, 'read'),
    write: mint(rootP, 'write'),
    admin: mint(rootP, 'admin'),
    userWrite: mint(annaP, 'write'),
  }
})
afterAll(() => t.close())

describe('routes added later', () => {
  const status = async (method: string, path: string, token?: string) =>
    (await t.call(method, path, { token })).status

  it('need a principal by default and get it on the context', async () => {
    expect(await status('GET', '/api/later/plain')).toBe(401)
    const res = await t.call('GET', '/api/later/plain', { token: tokens.read })
    expect(await res.json()).toEqual({ user: 'root', folders: [1, 2] })
  })

  it('writes need the write scope, whatever the route does', async () => {
    expect(await status('POST', '/api/later/plain', tokens.read)).toBe(403)
    expect(await status('POST', '/api/later/plain', tokens.write)).toBe(204)
  })

  it('requireScope and requireAdmin narrow further', async () => {
    expect(await status('GET', '/api/later/secret', tokens.read)).toBe(403)
    expect(await status('GET', '/api/later/secret', tokens.write)).toBe(204)
    expect(await status('GET', '/api/later/admin', tokens.write)).toBe(403)
    expect(await status('GET', '/api/later/admin', tokens.userWrite)).toBe(403)
    expect(await status('GET', '/api/later/admin', tokens.admin)).toBe(204)
  })
})
