import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createHash } from 'node:crypto'
import { subsonicFixture } from '../src/api/subsonic/testing.ts'

// Every way a Subsonic app proves who it is, every error code the spec defines that Tonearm
// uses, and the envelope's formats (XML, JSON, JSONP, form POST, the .view suffix).

setDefaultTimeout(120_000)
let f: Awaited<ReturnType<typeof subsonicFixture>>
let anna: { id: number; password: string }
let ben: { id: number; password: string }
let annaKey: string

beforeAll(async () => {
  f = await subsonicFixture()
  anna = await f.user('anna', 'admin')
  ben = await f.user('ben')
  annaKey = f.apiKey(anna.id)
  // Dora has an account but has never created a Subsonic app password.
  await f.accounts.users.create({ username: 'dora', password: 'dora-password' }, { source: 'cli' })
})
afterAll(async () => {
  await f?.close()
})

// biome-ignore lint/suspicious/noExplicitAny: the envelope is checked field by field
type Envelope = Record<string, any>

async function json(endpoint: string, params: Record<string, string | string[]>, init?: RequestInit) {
  const res = await f.get(endpoint, { v: '1.16.1', c: 'auth-test', f: 'json', ...params }, init)
  expect(res.status).toBe(200)
  return (await res.json())['subsonic-response'] as Envelope
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex')
const failed = (body: Envelope, code: number) => {
  expect(body.status).toBe('failed')
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
}

describe('authentication', () => {
  it('accepts u + p with the app password, plain and enc: hex', async () => {
    expect((await json('ping', { u: 'anna', p: anna.password })).status).toBe('ok')
    const hex = Buffer.from(anna.password, 'utf8').toString('hex')
    expect((await json('ping', { u: 'anna', p: `enc:${hex}` })).status).toBe('ok')
  })

  it('accepts u + t + s: md5 of the app password and the salt', async () => {
    const s = 'c19b2d'
    expect((await json('ping', { u: 'anna', t: md5(anna.password + s), s })).status).toBe('ok')
    // Upper-case hex is the same token.
    expect((await json('ping', { u: 'anna', t: md5(anna.password + s).toUpperCase(), s })).status).toBe('ok')
  })

  it('accepts an OpenSubsonic API key, and tokenInfo says whose it is', async () => {
    const body = await json('tokenInfo', { apiKey: annaKey })
    expect(body.status).toBe('ok')
    expect(body.tokenInfo).toEqual({ username: 'anna' })
  })

  it('never takes the web password, nor a REST token as an API key', async () => {
    failed(await json('ping', { u: 'anna', p: 'anna-password' }), 40)
    const { token } = await f.accounts.auth.login('anna', 'anna-password', {})
    failed(await json('ping', { apiKey: token }), 44)
  })
})

describe('error codes', () => {
  it('10: a required parameter is missing (credentials or the endpoint’s own)', async () => {
    failed(await json('ping', {}), 10)
    failed(await json('ping', { u: 'anna' }), 10)
    failed(await json('ping', { u: 'anna', t: md5(`${anna.password}x`) }), 10)
    const body = await json('getAlbum', { u: 'anna', p: anna.password })
    failed(body, 10)
    expect(body.error.message).toBe('required parameter id is missing')
  })

  it('20 and 30: another major protocol version', async () => {
    failed(await json('ping', { u: 'anna', p: anna.password, v: '0.9.0' }), 20)
    failed(await json('ping', { u: 'anna', p: anna.password, v: '2.0.0' }), 30)
    // Any 1.x client is served, older or newer minor versions alike.
    expect((await json('ping', { u: 'anna', p: anna.password, v: '1.2.0' })).status).toBe('ok')
    expect((await json('ping', { u: 'anna', p: anna.password, v: '1.99.0' })).status).toBe('ok')
  })

  it('40: wrong username or password, with the same answer for unknown names', async () => {
    failed(await json('ping', { u: 'anna', p: 'wrong' }), 40)
    failed(await json('ping', { u: 'nobody', p: 'wrong' }), 40)
    failed(await json('ping', { u: 'anna', t: md5('wrong1'), s: '1' }), 40)
  })

  it('41: token authentication for an account without an app password', async () => {
    const body = await json('ping', { u: 'dora', t: md5('dora-passwordabc'), s: 'abc' })
    failed(body, 41)
    expect(body.error.helpUrl).toStartWith('https://')
  })

  it('42: credentials Tonearm does not take on /rest (a bearer token instead of Subsonic parameters)', async () => {
    const { token } = await f.accounts.auth.login('anna', 'anna-password', {})
    failed(await json('ping', {}, { headers: { authorization: `Bearer ${token}` } }), 42)
  })

  it('43: conflicting mechanisms', async () => {
    failed(await json('ping', { apiKey: annaKey, u: 'anna' }), 43)
    failed(await json('ping', { u: 'anna', p: anna.password, t: md5(`${anna.password}s`), s: 's' }), 43)
  })

  it('44: an API key that does not exist or was revoked', async () => {
    failed(await json('ping', { apiKey: 'tnr_k_not-a-key' }), 44)
    const key = f.apiKey(ben.id)
    expect((await json('ping', { apiKey: key })).status).toBe('ok')
    f.accounts.users.revokeCredentials(ben.id, { source: 'cli' })
    failed(await json('ping', { apiKey: key }), 44)
    ben = {
      id: ben.id,
      password: f.accounts.subsonic.createPassword(f.accounts.auth.signedUrlPrincipal(ben.id) as never, {
        source: 'cli',
      }),
    }
  })

  it('50: not allowed — admin endpoints for users, writes with a read-only key, others’ accounts', async () => {
    failed(await json('getUsers', { u: 'ben', p: ben.password }), 50)
    failed(await json('startScan', { u: 'ben', p: ben.password }), 50)
    failed(
      await json('createUser', { u: 'ben', p: ben.password, username: 'eve', password: 'eve-password' }),
      50,
    )
    const readOnlyKey = f.apiKey(ben.id, ['read'])
    failed(await json('savePlayQueue', { apiKey: readOnlyKey, id: 'tr-1' }), 50)
    // Reading with the same key is fine.
    expect((await json('getPlayQueue', { apiKey: readOnlyKey })).status).toBe('ok')
  })

  it('70: not found, the same for ids that do not exist and for what the user may not see', async () => {
    failed(await json('getAlbum', { u: 'anna', p: anna.password, id: 'al-999999' }), 70)
    failed(await json('getSong', { u: 'anna', p: anna.password, id: 'tr-999999' }), 70)
    failed(await json('getUser', { u: 'ben', p: ben.password, username: 'anna' }), 70)
    failed(await json('getMusicDirectory', { u: 'anna', p: anna.password, id: 'dr-1-bm93aGVyZQ' }), 70)
  })

  it('0: a malformed value, named', async () => {
    const body = await json('getAlbumList2', { u: 'anna', p: anna.password, type: 'newest', size: 'lots' })
    failed(body, 0)
    expect(body.error.message).toContain('size')
    failed(await json('getAlbum', { u: 'anna', p: anna.password, id: 'tr-1' }), 0)
  })
})

describe('the envelope', () => {
  it('answers XML by default, JSON with f=json and JSONP with a callback', async () => {
    const xml = await f.get('ping', { u: 'anna', p: anna.password, v: '1.16.1', c: 't' })
    expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8')
    expect(await xml.text()).toContain(
      '<subsonic-response xmlns="http://subsonic.org/restapi" status="ok" version="1.16.1" type="tonearm" serverVersion="9.9.9" openSubsonic="true">',
    )
    const jsonp = await f.get('ping', {
      u: 'anna',
      p: anna.password,
      v: '1.16.1',
      c: 't',
      f: 'jsonp',
      callback: 'cb.done',
    })
    expect(jsonp.headers.get('content-type')).toBe('application/javascript; charset=utf-8')
    const text = await jsonp.text()
    expect(text.startsWith('cb.done({"subsonic-response":')).toBe(true)
    expect(text.endsWith('});')).toBe(true)
    // A callback that is not a plain name would let a page inject script: plain JSON instead.
    const hostile = await f.get('ping', { u: 'anna', p: anna.password, f: 'jsonp', callback: 'alert(1)//' })
    expect(hostile.headers.get('content-type')).toBe('application/json; charset=utf-8')
  })

  it('answers /rest/<endpoint>.view and form POSTs (formPost) the same', async () => {
    const view = await f.app.request(
      `http://localhost/rest/ping.view?u=anna&p=${encodeURIComponent(anna.password)}&f=json`,
    )
    expect((await view.json())['subsonic-response'].status).toBe('ok')
    const post = await f.app.request('http://localhost/rest/getAlbumList2', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        u: 'anna',
        p: anna.password,
        f: 'json',
        type: 'newest',
        size: '2',
      }).toString(),
    })
    const body = (await post.json())['subsonic-response']
    expect(body.status).toBe('ok')
    expect(body.albumList2.album).toHaveLength(2)
  })

  it('answers getOpenSubsonicExtensions without credentials, and unknown endpoints with 404 in the envelope', async () => {
    const ext = await json('getOpenSubsonicExtensions', {})
    expect(ext.status).toBe('ok')
    expect(ext.openSubsonicExtensions.map((e: { name: string }) => e.name)).toContain('apiKeyAuthentication')
    const res = await f.get('noSuchThing', { u: 'anna', p: anna.password, f: 'json' })
    expect(res.status).toBe(404)
    failed((await res.json())['subsonic-response'], 0)
  })

  it('lets any origin call (web clients send credentials as parameters, never cookies)', async () => {
    const res = await f.get(
      'ping',
      { u: 'anna', p: anna.password },
      { headers: { origin: 'https://web.example' } },
    )
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })
})
