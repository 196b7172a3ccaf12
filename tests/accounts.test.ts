import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { freshDirs } from './helpers/dirs.ts'
import { fromSource, run, start } from './helpers/server.ts'

// Accounts from the outside: the CLI beside a running server, the environment bootstrap, and
// sign-in over real HTTP with production-strength password hashing.

setDefaultTimeout(120_000)

const fresh = freshDirs()

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })

async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await probe()
    if (done(v) || Date.now() > deadline) return v
    await Bun.sleep(100)
  }
}

describe('accounts, black-box', () => {
  it('`tonearm user add --admin --password-stdin` beside a running server, then sign in over HTTP', async () => {
    const data = fresh()
    const server = await start(fromSource, ['--data', data, '--music', fresh()])
    expect(server.logs.some((l) => l.msg?.toString().startsWith('no user exists yet'))).toBe(true)
    const added = await run(
      fromSource,
      ['user', 'add', 'admin', '--admin', '--password-stdin', '--data', data],
      {
        input: 'correct horse battery staple\n',
      },
    )
    expect(added.stderr).toBe('')
    expect(added.stdout.trim()).toBe('created admin admin (id 1)')
    // The server notices the new user within a second, without a restart.
    const setup = await until(
      async () => (await (await fetch(`${server.url}/api/setup`)).json()) as { needed: boolean },
      (s) => !s.needed,
    )
    expect(setup.needed).toBe(false)
    const res = await login(server.url, 'admin', 'correct horse battery staple')
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toContain('HttpOnly')
    const { token } = (await res.json()) as { token: string }
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(await me.json()).toMatchObject({ user: { username: 'admin', role: 'admin' } })
    const stored = await fetch(`${server.url}/api/users/1`, { headers: { authorization: `Bearer ${token}` } })
    expect(await stored.text()).not.toContain('scrypt')

    const list = await run(fromSource, ['user', 'list', '--data', data])
    expect(list.stdout).toMatch(/1\s+admin\s+admin\s+all/)
    // Deleting from the CLI signs the user out of the running server within a second.
    await run(fromSource, ['user', 'add', 'guest', '--password-stdin', '--data', data], {
      input: 'guest-password',
    })
    // Wait out one poll period first: sign-in attempts before the server has seen the user count
    // as failures, and enough of them would (rightly) throttle the account.
    await Bun.sleep(1200)
    const guest = await login(server.url, 'guest', 'guest-password')
    expect(guest.status).toBe(200)
    const guestToken = ((await guest.json()) as { token: string }).token
    const deleted = await run(fromSource, ['user', 'delete', 'guest', '--data', data])
    expect(deleted.stdout.trim()).toBe('deleted guest with their sessions and tokens')
    const after = await until(
      () => fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${guestToken}` } }),
      (r) => r.status === 401,
    )
    expect(after.status).toBe(401)
    expect(await server.stop()).toBe(0)
    expect(statSync(join(data, 'keys', 'subsonic.key')).mode & 0o777).toBe(0o600)
  })

  it('TONEARM_ADMIN_PASSWORD creates the first admin at start, and its value is never printed', async () => {
    const data = fresh()
    const server = await start(fromSource, ['--data', data, '--music', fresh()], {
      env: { TONEARM_ADMIN_PASSWORD: 'from-the-environment', TONEARM_ADMIN_USER: 'boss' },
    })
    expect((await login(server.url, 'boss', 'from-the-environment')).status).toBe(200)
    expect(JSON.stringify(server.logs)).not.toContain('from-the-environment')
    expect(server.logs.find((l) => l.msg === 'starting')).toMatchObject({
      config: { adminPassword: { value: '[redacted]', from: 'env' } },
    })
    await server.stop()
  })

  it('without a password source the CLI says what to do, in one line', async () => {
    const r = await run(fromSource, ['user', 'add', 'x', '--data', fresh()])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('--password-stdin')
  })

  it('--help lists the user commands and the security settings', async () => {
    const r = await run(fromSource, ['--help'])
    for (const s of [
      'tonearm user add NAME',
      'user passwd',
      'TONEARM_ADMIN_PASSWORD',
      'TONEARM_TRUSTED_PROXIES',
      '--cors-origin',
    ]) {
      expect(r.stdout).toContain(s)
    }
  })
})
