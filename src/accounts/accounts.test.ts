import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { type AccountsFixture, accountsFixture } from './testing.ts'
import type { Principal } from './types.ts'

let f: AccountsFixture
beforeEach(async () => {
  f = await accountsFixture()
})
afterEach(() => f.close())

const errorOf = async (fn: () => unknown): Promise<DomainError> => {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    return err as DomainError
  }
  throw new Error('expected a domain error')
}

async function signIn(name: string, role: 'admin' | 'user' = 'user'): Promise<Principal> {
  await f.accounts.users.create({ username: name, password: `${name}-password`, role }, { source: 'cli' })
  const { token } = await f.accounts.auth.login(name, `${name}-password`, { address: '10.0.0.2' })
  return f.accounts.auth.authenticate(token) as Principal
}

describe('users and sign-in', () => {
  it('creates users with case-insensitive unique names and signs them in', async () => {
    const anna = await signIn('Anna')
    expect(anna).toMatchObject({ username: 'Anna', role: 'user', scopes: ['read', 'write'] })
    expect(
      (await errorOf(() => f.accounts.users.create({ username: 'anna', password: 'whatever1' }, {}))).kind,
    ).toBe('conflict')
    const { token } = await f.accounts.auth.login('ANNA', 'Anna-password', {})
    expect(f.accounts.auth.authenticate(token)?.userId).toBe(anna.userId)
  })

  it('refuses wrong passwords and unknown names with the same message', async () => {
    await signIn('bob')
    const wrong = await errorOf(() => f.accounts.auth.login('bob', 'nope-nope', {}))
    const unknown = await errorOf(() => f.accounts.auth.login('nobody', 'nope-nope', {}))
    expect(wrong.kind).toBe('unauthorized')
    expect(unknown.message).toBe(wrong.message)
  })

  it('never stores a password or secret in the clear', async () => {
    const { token } = await f.accounts.setup.createFirstAdmin(
      { username: 'root', password: 'hunter22hunter' },
      {},
    )
    const dump =
      JSON.stringify(f.sqlite.all('SELECT * FROM users')) +
      JSON.stringify(f.sqlite.all('SELECT * FROM sessions'))
    expect(dump).not.toContain('hunter22hunter')
    expect(dump).not.toContain(token)
    expect(dump).toContain('$scrypt$ln=10,r=8,p=1$')
  })

  it('keeps at least one admin', async () => {
    const root = await signIn('root', 'admin')
    const err = await errorOf(() =>
      f.accounts.users.update(root.userId, { role: 'user' }, { principal: root }),
    )
    expect(err.kind).toBe('conflict')
    expect((await errorOf(() => f.accounts.users.remove(root.userId, {}))).message).toContain('last admin')
  })
})

describe('revocation reaches the in-memory index at once', () => {
  it('a revoked token stops working on the next call', async () => {
    const anna = await signIn('anna')
    const { token, secret } = f.accounts.tokens.create(anna, { name: 'script', scopes: ['read'] }, {})
    expect(f.accounts.auth.authenticate(secret)?.scopes).toEqual(['read'])
    f.accounts.tokens.revoke(anna, token.id, {})
    expect(f.accounts.auth.authenticate(secret)).toBeNull()
  })

  it('a demoted admin’s admin token loses the admin scope without being touched', async () => {
    const root = await signIn('root', 'admin')
    await signIn('other', 'admin')
    const { secret } = f.accounts.tokens.create(root, { name: 'ops', scopes: ['admin'] }, {})
    expect(f.accounts.auth.authenticate(secret)?.scopes).toEqual(['read', 'write', 'admin'])
    await f.accounts.users.update(root.userId, { role: 'user' }, {})
    expect(f.accounts.auth.authenticate(secret)?.scopes).toEqual(['read', 'write'])
  })

  it('notices a user deleted by another process (the CLI) through data_version', async () => {
    const anna = await signIn('anna')
    const { secret } = f.accounts.tokens.create(anna, { name: 'script', scopes: ['write'] }, {})
    const cli = await f.second()
    cli.accounts.users.remove(anna.userId, { source: 'cli' })
    cli.accounts.close()
    expect(f.accounts.auth.authenticate(secret)).not.toBeNull()
    f.accounts.watch()
    await Bun.sleep(1200)
    expect(f.accounts.auth.authenticate(secret)).toBeNull()
  })
})

describe('sessions', () => {
  it('slide forward with use and expire after the idle period', async () => {
    await signIn('anna')
    const { token } = await f.accounts.auth.login('anna', 'anna-password', {})
    f.clock.advance(29 * 86_400_000)
    expect(f.accounts.auth.authenticate(token)).not.toBeNull()
    f.clock.advance(29 * 86_400_000)
    expect(f.accounts.auth.authenticate(token)).not.toBeNull()
    f.clock.advance(31 * 86_400_000)
    expect(f.accounts.auth.authenticate(token)).toBeNull()
  })

  it('last-used times reach the table at flush, not on every request', async () => {
    const anna = await signIn('anna')
    const { token, secret } = f.accounts.tokens.create(anna, { name: 'script', scopes: ['read'] }, {})
    f.clock.advance(60_000)
    f.accounts.auth.authenticate(secret)
    const stored = () =>
      f.sqlite.all<{ last_used_at: number | null }>(
        'SELECT last_used_at FROM api_tokens WHERE id = ?',
        token.id,
      )[0]
    expect(stored()?.last_used_at).toBeNull()
    expect(f.accounts.tokens.list(anna)[0]?.lastUsedAt).toBe(new Date(f.clock.now()).toISOString())
    f.accounts.close()
    expect(stored()?.last_used_at).toBe(f.clock.now())
  })
})
