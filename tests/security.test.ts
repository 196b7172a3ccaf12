import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { join } from 'node:path'
import {
  BAD_IDS,
  badBodies,
  chunkedBody,
  createTally,
  forgedSecrets,
  SQL,
  TRAVERSAL,
} from './helpers/attacks.ts'
import { rawRequest } from './helpers/raw-http.ts'
import { startTarget, type Target } from './helpers/target.ts'

// Attacks a real server over real sockets and counts every attempt. Routes come from the server's
// own OpenAPI document, so routes added later (browse, streaming, playlists…) are attacked too:
// every `{param}` gets the traversal and injection payloads, every JSON body the malformed ones.
// File-serving routes of the scanner (symlinks out of the library) get the same treatment through
// their `{param}`s once they exist. Every attempt must be refused with a 4xx — never a 5xx — and
// the server must stay healthy with an intact database. The counts are printed at the end.

setDefaultTimeout(300_000)

let t: Target
const tally = createTally(expect)
const hasBody = (method: string) => method === 'POST' || method === 'PATCH' || method === 'PUT'

beforeAll(async () => {
  t = await startTarget([{ name: 'root', admin: true }, { name: 'anna' }])
})
afterAll(() => t?.close())

describe('security suite', () => {
  it('path traversal and non-ids in every path parameter, sent unnormalised', async () => {
    const templated = t.operations().filter((o) => o.path.includes('{'))
    expect(templated.length).toBeGreaterThan(0)
    for (const { method, path } of templated) {
      for (const payload of [...TRAVERSAL, ...BAD_IDS]) {
        const headers = { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' }
        const target = path.replace(/\{[^}]+\}/g, payload)
        const res = await rawRequest(
          t.server.port,
          method,
          target,
          headers,
          hasBody(method) ? '{}' : undefined,
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
      for (const auth of [{}, { authorization: `Bearer ${t.admin}` }] as Record<string, string>[]) {
        const res = await rawRequest(t.server.port, 'GET', target, auth)
        expect(res.body).not.toContain('root:x:0:0')
        tally.count('path traversal outside routes', res.status)
      }
    }
  })

  it('SQL-ish payloads in every query parameter, every path id and the login fields', async () => {
    for (const { method, path, op } of t.operations()) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === 'query')) {
        // Free-text parameters (search terms, later) may answer 200; they must still not leak or break.
        const strict = param.schema?.enum !== undefined || param.schema?.pattern !== undefined
        for (const payload of SQL) {
          const url = `${path.replace(/\{[^}]+\}/g, '1')}?${new URLSearchParams({ [param.name]: payload })}`
          const res = await t.api(url, { method, token: t.admin })
          expect(await res.text()).not.toContain('$scrypt$')
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
        const res = await t.api(path.replace(/\{[^}]+\}/g, encodeURIComponent(payload)), {
          method,
          token: t.admin,
          headers: { 'content-type': 'application/json' },
          body: hasBody(method) ? '{}' : undefined,
        })
        tally.count('SQL-ish in path ids', res.status)
      }
    }
    for (const payload of SQL) {
      tally.count('SQL-ish in login and user fields', (await t.login(payload, payload)).status)
      const user = await t.postJson('/api/users', { username: payload, password: 'long-enough-1' }, t.admin)
      tally.count('SQL-ish in login and user fields', user.status)
    }
    // A free-text field must store the payload exactly, which shows it went in as a bound parameter.
    for (const payload of SQL) {
      const res = await t.postJson('/api/tokens', { name: payload, scopes: ['read'] }, t.admin)
      const body = (await res.json()) as { token: { id: number; name: string } }
      expect(body.token.name).toBe(payload.trim())
      tally.count('SQL-ish in free-text JSON fields (stored verbatim)', res.status, (s) => s === 201)
      await t.api(`/api/tokens/${body.token.id}`, { method: 'DELETE', token: t.admin })
    }
  })

  it('malformed, mistyped and oversized bodies on every operation that takes one', async () => {
    const withBody = t.operations().filter((o) => o.bodyFields !== null)
    expect(withBody.length).toBeGreaterThan(0)
    for (const { method, path, bodyFields } of withBody) {
      const url = `${t.server.url}${path.replace(/\{[^}]+\}/g, '1')}`
      const fields = bodyFields ?? []
      expect(fields.length).toBeGreaterThan(0)
      const auth = { authorization: `Bearer ${t.admin}` }
      for (const [category, type, body] of badBodies(fields)) {
        const res = await fetch(url, { method, headers: { ...auth, 'content-type': type }, body })
        tally.count(`bodies: ${category}`, res.status)
      }
      const chunked = await fetch(url, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body: chunkedBody(),
        duplex: 'half',
      } as RequestInit)
      tally.count('bodies: oversized (chunked)', chunked.status)
    }
  })

  it('forged, truncated, expired and revoked tokens and cookies', async () => {
    const anna = (await (await t.login('anna', 'anna-password')).json()) as { token: string }
    for (const secret of [...forgedSecrets(t.admin), ...forgedSecrets(anna.token)]) {
      for (const [method, path] of [
        ['GET', '/api/auth/me'],
        ['POST', '/api/tokens'],
        ['GET', '/api/users'],
      ] as const) {
        const body = method === 'POST' ? JSON.stringify({ name: 'x', scopes: ['admin'] }) : undefined
        const headers = { 'content-type': 'application/json', origin: t.server.url }
        tally.count(
          'forged/truncated bearer tokens',
          (await t.api(path, { method, token: secret, headers, body })).status,
        )
        const cookie = await t.api(path, {
          method,
          headers: { ...headers, cookie: `tonearm_session=${secret}` },
          body,
        })
        tally.count('forged/truncated session cookies', cookie.status)
      }
    }
    // Expire a session and a token behind the server's back, as time would; it notices within a second.
    const expiring = (await (await t.login('anna', 'anna-password')).json()) as { token: string }
    const made = await t.postJson(
      '/api/tokens',
      { name: 'soon', scopes: ['read'], expiresInDays: 1 },
      expiring.token,
    )
    const soon = (await made.json()) as { secret: string; token: { id: number } }
    expect((await t.api('/api/auth/me', { token: soon.secret })).status).toBe(200)
    const db = new Database(join(t.data, 'tonearm.db'))
    db.run('PRAGMA busy_timeout = 5000')
    db.run(
      "UPDATE sessions SET expires_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'anna')",
    )
    db.run('UPDATE api_tokens SET expires_at = 1 WHERE id = ?', [soon.token.id])
    db.close()
    await Bun.sleep(1500)
    for (const secret of [expiring.token, anna.token, soon.secret]) {
      tally.count('expired sessions and tokens', (await t.api('/api/auth/me', { token: secret })).status)
      const asCookie = await t.api('/api/auth/me', { headers: { cookie: `tonearm_session=${secret}` } })
      tally.count('expired sessions and tokens', asCookie.status)
    }
    const r = (await (
      await t.postJson('/api/tokens', { name: 'revoke me', scopes: ['read'] }, t.admin)
    ).json()) as {
      secret: string
      token: { id: number }
    }
    expect((await t.api('/api/auth/me', { token: r.secret })).status).toBe(200)
    expect((await t.api(`/api/tokens/${r.token.id}`, { method: 'DELETE', token: t.admin })).status).toBe(204)
    tally.count(
      'revoked credentials (next request)',
      (await t.api('/api/auth/me', { token: r.secret })).status,
    )
    const out = (await (await t.login('anna', 'anna-password')).json()) as { token: string }
    expect((await t.api('/api/auth/logout', { method: 'POST', token: out.token })).status).toBe(204)
    tally.count(
      'revoked credentials (next request)',
      (await t.api('/api/auth/me', { token: out.token })).status,
    )
  })

  it('brute-force logins: throttled, never let in', async () => {
    let throttled = 0
    for (let i = 0; i < 40; i++) {
      const res = await t.login('root', `guess-${i}`)
      if (res.status === 429) {
        throttled++
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      }
      tally.count('brute-force logins (one account)', res.status)
    }
    expect(throttled).toBeGreaterThan(20)
    // While locked, even the right password is turned away: guessing it gains nothing.
    tally.count('brute-force logins (one account)', (await t.login('root', 'root-password')).status)
    for (let i = 0; i < 40; i++) {
      tally.count('brute-force logins (spraying names)', (await t.login(`user${i}`, 'Summer2024!')).status)
    }
  })

  it('the server is still healthy, logged no 5xx, and the database is intact', async () => {
    const health = await t.api('/api/health')
    expect(health.status).toBe(200)
    expect(((await health.json()) as { status: string }).status).toBe('ok')
    expect(t.server.proc.exitCode).toBeNull()
    const errors = t.server.logs.filter(
      (l) => l.level === 'error' || (typeof l.status === 'number' && l.status >= 500),
    )
    expect(errors).toEqual([])
    const db = new Database(join(t.data, 'tonearm.db'), { readonly: true })
    expect(db.query('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    expect(db.query('SELECT count(*) AS n FROM users').get()).toEqual({ n: 2 })
    db.close()
    process.stdout.write(
      `\nsecurity suite: ${tally.total()} attempts, each answered as required\n  ${tally.summary().join('\n  ')}\n`,
    )
    // Every category the suite knows was exercised (routes added later may add categories).
    expect(tally.categories().length).toBeGreaterThanOrEqual(20)
  })
})
