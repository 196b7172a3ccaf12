import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { join } from 'node:path'
import { BAD_IDS, createTally, forgedSecrets, SQL, TRAVERSAL } from './helpers/attacks.ts'
import { rawRequest } from './helpers/raw-http.ts'
import { fromSource, type Running, removeDir, run, start, tempDir } from './helpers/server.ts'

// Attacks a real server over real sockets and counts every attempt. Routes come from the server's
// own OpenAPI document, so routes added later (browse, streaming, playlists…) are attacked too:
// every `{param}` gets the traversal and injection payloads, every JSON body the malformed ones.
// Every attempt must be refused with a 4xx — never a 5xx — and the server must stay healthy with
// an intact database. The per-category counts are printed at the end.

setDefaultTimeout(300_000)

type Op = {
  parameters?: { name: string; in: string; schema?: { enum?: unknown[]; pattern?: string } }[]
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> }
}
let doc: { paths: Record<string, Record<string, Op>> }
let server: Running
let data: string
let music: string
let admin: string
const tally = createTally(expect)
const dirs: string[] = []

const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
  })
const login = (username: string, password: string) =>
  api('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
/** The server notices users added by another process within a second; wait for that. */
async function usersVisible(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const setup = (await (await api('/api/setup')).json()) as { needed: boolean }
    if (!setup.needed) return
    await Bun.sleep(100)
  }
  throw new Error('the server never saw the users added by the CLI')
}
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  )

beforeAll(async () => {
  data = tempDir()
  music = tempDir()
  dirs.push(data, music)
  server = await start(fromSource, ['--data', data, '--music', music])
  for (const [name, flags] of [
    ['root', ['--admin']],
    ['anna', []],
  ] as const) {
    const r = await run(fromSource, ['user', 'add', name, ...flags, '--password-stdin', '--data', data], {
      input: `${name}-password\n`,
    })
    expect(r.stderr).toBe('')
  }
  await usersVisible()
  const res = await login('root', 'root-password')
  const session = ((await res.json()) as { token: string }).token
  const made = await api('/api/tokens', {
    method: 'POST',
    token: session,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'security suite', scopes: ['admin'] }),
  })
  admin = ((await made.json()) as { secret: string }).secret
  doc = (await (await api('/api/openapi.json')).json()) as typeof doc
})

afterAll(async () => {
  await server?.stop()
  dirs.forEach(removeDir)
})

describe('security suite', () => {
  it('path traversal and non-ids in every path parameter, sent unnormalised', async () => {
    const templated = operations().filter((o) => o.path.includes('{'))
    expect(templated.length).toBeGreaterThan(0)
    for (const { method, path } of templated) {
      for (const payload of [...TRAVERSAL, ...BAD_IDS]) {
        const target = path.replace(/\{[^}]+\}/g, payload)
        const res = await rawRequest(
          server.port,
          method,
          target,
          {
            authorization: `Bearer ${admin}`,
            'content-type': 'application/json',
          },
          method === 'POST' || method === 'PATCH' ? '{}' : undefined,
        )
        expect(res.body).not.toContain('root:x:0:0')
        tally.count('path traversal / bad ids in {params}', res.status)
      }
    }
    const outside = [
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/%2e%2e/%2e%2e/etc/passwd',
      '/api/..%2f..%2fetc%2fpasswd',
      '/setup/..%2f..%2fetc%2fpasswd',
      '/api/docs/..%2f..%2f..%2fetc%2fpasswd',
      '/api/openapi.json%00',
      '/metrics/..%2f..%2fetc%2fpasswd',
      '/..\\..\\etc\\passwd',
      '/api/health/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/users/1/..%2f..%2f..%2fetc%2fpasswd',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/api/%00',
    ]
    for (const target of outside) {
      for (const auth of [{}, { authorization: `Bearer ${admin}` }]) {
        const res = await rawRequest(server.port, 'GET', target, auth)
        expect(res.body).not.toContain('root:x:0:0')
        tally.count('path traversal outside routes', res.status)
      }
    }
  })

  it('SQL-ish payloads in every query parameter and every path id', async () => {
    for (const { method, path, op } of operations()) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query')
      for (const param of query) {
        // Free-text parameters (search terms, later) may answer 200; they must still not leak or break.
        const strict = param.schema?.enum !== undefined || param.schema?.pattern !== undefined
        for (const payload of SQL) {
          const url = `${path.replace(/\{[^}]+\}/g, '1')}?${new URLSearchParams({ [param.name]: payload })}`
          const res = await api(url, { method, token: admin })
          const text = await res.text()
          expect(text).not.toContain('$scrypt$')
          if (strict) tally.count('SQL-ish in query parameters', res.status)
          else
            tally.count(
              'SQL-ish in free-text query parameters (answered, no leak)',
              res.status,
              (s) => s < 500,
            )
        }
      }
      if (!path.includes('{')) continue
      for (const payload of SQL) {
        const res = await api(path.replace(/\{[^}]+\}/g, encodeURIComponent(payload)), {
          method,
          token: admin,
          headers: { 'content-type': 'application/json' },
          body: method === 'POST' || method === 'PATCH' ? '{}' : undefined,
        })
        tally.count('SQL-ish in path ids', res.status)
      }
    }
    for (const payload of SQL) {
      tally.count('SQL-ish in login fields', (await login(payload, payload)).status)
      const user = await api('/api/users', {
        method: 'POST',
        token: admin,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: payload, password: 'long-enough-1' }),
      })
      tally.count('SQL-ish in login fields', user.status)
    }
    // A free-text field must store the payload exactly, which shows it went in as a bound parameter.
    for (const payload of SQL) {
      const res = await api('/api/tokens', {
        method: 'POST',
        token: admin,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: payload, scopes: ['read'] }),
      })
      const body = (await res.json()) as { token: { id: number; name: string } }
      expect(body.token.name).toBe(payload.trim())
      tally.count('SQL-ish in free-text JSON fields (stored verbatim)', res.status, (s) => s === 201)
      await api(`/api/tokens/${body.token.id}`, { method: 'DELETE', token: admin })
    }
  })

  it('malformed, mistyped and oversized bodies on every operation that takes one', async () => {
    const withBody = operations().filter((o) => o.op.requestBody)
    expect(withBody.length).toBeGreaterThan(0)
    const huge = `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`
    for (const { method, path, op } of withBody) {
      const url = `${server.url}${path.replace(/\{[^}]+\}/g, '1')}`
      const props = Object.keys(op.requestBody?.content['application/json']?.schema?.properties ?? {})
      const variants: [string, string, BodyInit][] = [
        ['wrong content type', 'text/plain', '{"username":"a"}'],
        ['wrong content type', 'application/x-www-form-urlencoded', 'username=a&password=b'],
        ['wrong content type', 'multipart/form-data; boundary=x', '--x\r\n\r\nx\r\n--x--'],
        ['wrong content type', 'application/xml', '<a/>'],
        ['invalid JSON', 'application/json', '{"username":'],
        ['invalid JSON', 'application/json', "{'username': 'a'}"],
        ['invalid JSON', 'application/json', '{"a":1,}'],
        [
          'invalid JSON',
          'application/json',
          new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        ],
        ['not an object', 'application/json', '[]'],
        ['not an object', 'application/json', 'null'],
        ['not an object', 'application/json', '"text"'],
        ['not an object', 'application/json', '42'],
        ['deeply nested JSON', 'application/json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
        [
          'prototype pollution',
          'application/json',
          '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"x":1}}}',
        ],
        ...props.map((p): [string, string, BodyInit] => [
          'wrong field types',
          'application/json',
          JSON.stringify({ [p]: { $gt: '' } }),
        ]),
        ...props.map((p): [string, string, BodyInit] => [
          'wrong field types',
          'application/json',
          JSON.stringify({ [p]: ['a', 1] }),
        ]),
        ['oversized (Content-Length)', 'application/json', huge],
      ]
      for (const [category, type, body] of variants) {
        const res = await fetch(url, {
          method,
          headers: { authorization: `Bearer ${admin}`, 'content-type': type },
          body,
        })
        tally.count(`bodies: ${category}`, res.status)
      }
      // Without a Content-Length the limit must still hold while the body streams in.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
          controller.close()
        },
      })
      const chunked = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit)
      tally.count('bodies: oversized (chunked)', chunked.status)
    }
  })

  it('forged, truncated, expired and revoked tokens and cookies', async () => {
    const anna = (await (await login('anna', 'anna-password')).json()) as { token: string }
    const forged = [...forgedSecrets(admin), ...forgedSecrets(anna.token)]
    for (const secret of forged) {
      for (const [method, path] of [
        ['GET', '/api/auth/me'],
        ['POST', '/api/tokens'],
        ['GET', '/api/users'],
      ]) {
        const body = method === 'POST' ? JSON.stringify({ name: 'x', scopes: ['admin'] }) : undefined
        const headers = { 'content-type': 'application/json', origin: server.url }
        const bearer = await api(path as string, { method, token: secret, headers, body })
        tally.count('forged/truncated bearer tokens', bearer.status)
        const cookie = await api(path as string, {
          method,
          headers: { ...headers, cookie: `tonearm_session=${secret}` },
          body,
        })
        tally.count('forged/truncated session cookies', cookie.status)
      }
    }
    // Expire a session and a token behind the server's back, as time would; it notices within a second.
    const expiring = (await (await login('anna', 'anna-password')).json()) as { token: string }
    const tokenRes = await api('/api/tokens', {
      method: 'POST',
      token: expiring.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'soon', scopes: ['read'], expiresInDays: 1 }),
    })
    const soon = (await tokenRes.json()) as { secret: string; token: { id: number } }
    expect((await api('/api/auth/me', { token: soon.secret })).status).toBe(200)
    const db = new Database(join(data, 'tonearm.db'))
    db.run('PRAGMA busy_timeout = 5000')
    db.run('UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = ?)', [
      'anna',
    ])
    db.run('UPDATE api_tokens SET expires_at = 1 WHERE id = ?', [soon.token.id])
    db.close()
    await Bun.sleep(1500)
    for (const secret of [expiring.token, anna.token, soon.secret]) {
      tally.count('expired sessions and tokens', (await api('/api/auth/me', { token: secret })).status)
      const asCookie = await api('/api/auth/me', { headers: { cookie: `tonearm_session=${secret}` } })
      tally.count('expired sessions and tokens', asCookie.status)
    }
    const revoked = await api('/api/tokens', {
      method: 'POST',
      token: admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'revoke me', scopes: ['read'] }),
    })
    const r = (await revoked.json()) as { secret: string; token: { id: number } }
    expect((await api('/api/auth/me', { token: r.secret })).status).toBe(200)
    expect((await api(`/api/tokens/${r.token.id}`, { method: 'DELETE', token: admin })).status).toBe(204)
    tally.count('revoked credentials (next request)', (await api('/api/auth/me', { token: r.secret })).status)
    const out = (await (await login('anna', 'anna-password')).json()) as { token: string }
    expect((await api('/api/auth/logout', { method: 'POST', token: out.token })).status).toBe(204)
    tally.count(
      'revoked credentials (next request)',
      (await api('/api/auth/me', { token: out.token })).status,
    )
  })

  it('brute-force logins: throttled, never let in', async () => {
    let throttled = 0
    for (let i = 0; i < 40; i++) {
      const res = await login('root', `guess-${i}`)
      if (res.status === 429) {
        throttled++
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      }
      tally.count('brute-force logins (one account)', res.status)
    }
    expect(throttled).toBeGreaterThan(20)
    // While locked, even the right password is turned away: guessing it gains nothing.
    tally.count('brute-force logins (one account)', (await login('root', 'root-password')).status)
    for (let i = 0; i < 40; i++) {
      tally.count('brute-force logins (spraying names)', (await login(`user${i}`, 'Summer2024!')).status)
    }
  })

  it('the server is still healthy, logged no 5xx, and the database is intact', async () => {
    const health = await api('/api/health')
    expect(health.status).toBe(200)
    expect(((await health.json()) as { status: string }).status).toBe('ok')
    expect(server.proc.exitCode).toBeNull()
    const errors = server.logs.filter(
      (l) => l.level === 'error' || (typeof l.status === 'number' && l.status >= 500),
    )
    expect(errors).toEqual([])
    const db = new Database(join(data, 'tonearm.db'), { readonly: true })
    expect(db.query('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    expect(db.query('SELECT count(*) AS n FROM users').get()).toEqual({ n: 2 })
    db.close()
    const lines = tally.summary()
    process.stdout.write(
      `\nsecurity suite: ${tally.total()} attempts, all refused as required\n  ${lines.join('\n  ')}\n`,
    )
    expect(tally.categories().length).toBe(20)
  })
})
