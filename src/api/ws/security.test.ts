import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { spawn } from 'node:child_process'
import { type TestApp, testApp } from '../testing.ts'
import { connect, device, rawUpgrade, type TestSocket } from './testing.ts'

// Who may open the device channel, and what bad input does to it: always a precise answer on the
// offending connection, never a crash, and nobody else notices.

let t: TestApp
let url: string
let anna: { id: number; token: string }
let ben: { id: number; token: string }
const open: TestSocket[] = []
const bearer = (u: { token: string }) => ({ headers: { authorization: `Bearer ${u.token}` } })

beforeAll(async () => {
  // A fast heartbeat so revocation and dead peers show within a fraction of a second.
  t = await testApp({}, { sockets: { heartbeatMs: 250, connectionsPerUser: 8 } })
  url = (await t.listen()).url
  anna = await t.user('anna')
  ben = await t.user('ben')
})
afterAll(() => {
  for (const s of open) s.close()
  t.close()
})
const track = async (s: Promise<TestSocket>) => {
  const socket = await s
  open.push(socket)
  return socket
}

describe('device channel: who may connect', () => {
  it('refuses an upgrade without credentials, or with a wrong token, as a 401 problem', async () => {
    for (const headers of [{}, { authorization: 'Bearer tnr_s_not-a-real-token' }] as Record<
      string,
      string
    >[]) {
      const res = await rawUpgrade(url, headers)
      expect(res.status).toBe(401)
      expect(JSON.parse(res.body)).toMatchObject({ code: 'unauthorized' })
    }
  })

  it('takes a bearer token as a subprotocol and echoes only tonearm.v1, never the token', async () => {
    const raw = await rawUpgrade(url, {
      'sec-websocket-protocol': `tonearm.v1, tonearm.bearer.${anna.token}`,
    })
    expect(raw.status).toBe(101)
    expect(raw.headers['sec-websocket-protocol']).toBe('tonearm.v1')
    const s = await track(connect(url, { protocols: ['tonearm.v1', `tonearm.bearer.${anna.token}`] }))
    expect(s.ws.protocol).toBe('tonearm.v1')
    expect((await s.next('hello')).user).toMatchObject({ username: 'anna' })
    const without = await rawUpgrade(url, { 'sec-websocket-protocol': `tonearm.bearer.${anna.token}` })
    expect(without.status).toBe(400)
    expect(JSON.parse(without.body).detail).toContain('offer the tonearm.v1 subprotocol')
  })

  it('takes the session cookie only from this server’s own pages (cross-site WebSocket hijacking)', async () => {
    const cookie = `tonearm_session=${anna.token}`
    const foreign = await rawUpgrade(url, { cookie, origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    expect(JSON.parse(foreign.body).detail).toBe(
      'cross-site request check failed: origin https://evil.example is not this server',
    )
    const noOrigin = await rawUpgrade(url, { cookie })
    expect(noOrigin.status).toBe(403)
    expect((await rawUpgrade(url, { cookie, origin: url })).status).toBe(101)
  })

  it("refuses another account's device id: an error frame, then close 4403", async () => {
    const id = crypto.randomUUID()
    const mine = await track(connect(url, bearer(anna)))
    expect((await mine.ask(device('Anna’s phone', ['audio'], id))).type).toBe('registered')
    const thief = await track(connect(url, bearer(ben)))
    expect(await thief.ask(device('Not Ben’s', ['audio'], id))).toMatchObject({
      type: 'error',
      code: 'forbidden',
      message: `device id ${id} belongs to another account: choose a new random id`,
    })
    expect(await thief.closed).toEqual({ code: 4403, reason: 'device id of another account' })
    expect(t.devices.list(ben.id)).toEqual([])
  })

  it('a read-only token may listen but not register or command', async () => {
    const made = await t.call('POST', '/api/tokens', {
      token: anna.token,
      body: { name: 'viewer', scopes: ['read'] },
    })
    const { secret } = (await made.json()) as { secret: string }
    const s = await track(connect(url, { headers: { authorization: `Bearer ${secret}` } }))
    expect(await s.ask(device('Viewer'))).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/write scope/),
    })
    expect(await s.ask({ type: 'subscribe', topics: ['now-playing'] })).toMatchObject({ type: 'subscribed' })
  })

  it('closes a connection (4401) once its session ends', async () => {
    const login = await t.call('POST', '/api/auth/login', {
      body: { username: 'ben', password: 'ben-password' },
    })
    const { token } = (await login.json()) as { token: string }
    const s = await track(connect(url, { headers: { authorization: `Bearer ${token}` } }))
    await s.next('hello')
    expect((await t.call('POST', '/api/auth/logout', { token })).status).toBe(204)
    expect(await s.closed).toEqual({
      code: 4401,
      reason: 'the session or token this connection used has ended',
    })
  })

  it('refuses more connections per user than the limit, with 429', async () => {
    const u = await t.user('cleo')
    const socks = await Promise.all(Array.from({ length: 8 }, () => track(connect(url, bearer(u)))))
    const res = await rawUpgrade(url, { authorization: `Bearer ${u.token}` })
    expect(res.status).toBe(429)
    expect(res.headers['retry-after']).toBe('30')
    for (const s of socks) s.close()
  })

  it('GET /api/ws without an upgrade is a 426 that says what to do', async () => {
    const res = await t.call('GET', '/api/ws', { token: anna.token })
    expect(res.status).toBe(426)
    expect(res.headers.get('upgrade')).toBe('websocket')
    expect(await res.json()).toMatchObject({ code: 'upgrade_required' })
  })
})

describe('device channel: bad input', () => {
  it('answers each malformed frame with a precise error frame and keeps the connection', async () => {
    const s = await track(connect(url, bearer(anna)))
    await s.next('hello')
    const cases: [string, Record<string, unknown>][] = [
      ['{"type": "ping",', { code: 'invalid', message: expect.stringMatching(/^malformed JSON/) }],
      ['[1, 2]', { code: 'invalid', message: 'a frame is a JSON object with a string "type"' }],
      ['"ping"', { code: 'invalid' }],
      ['{"t0": 1}', { code: 'invalid' }],
      [
        '{"type": "dance"}',
        {
          code: 'unknown_type',
          message: expect.stringMatching(/^unknown frame type "dance"; known: ping, register/),
        },
      ],
      ['{"type": "__proto__"}', { code: 'unknown_type' }],
      ['{"type": "constructor"}', { code: 'unknown_type' }],
      ['{"type": "ping"}', { code: 'invalid', field: 't0' }],
      [
        '{"type": "ping", "t0": 1, "extra": true}',
        { code: 'invalid', message: 'ping: extra is not a known field' },
      ],
      ['{"type": "command", "action": "pause", "baseVersion": 0}', { code: 'not_registered' }],
      ['{"type": "subscribe", "topics": ["gossip"]}', { code: 'invalid', field: 'topics.0' }],
    ]
    for (const [text, expected] of cases) {
      const since = s.frames.length
      s.sendRaw(text)
      expect(await s.next('error', () => true, { since })).toMatchObject(expected)
    }
    s.sendRaw(new Uint8Array([1, 2, 3]))
    expect(await s.next('error', (f) => /binary/.test(String(f.message)))).toMatchObject({ code: 'invalid' })
    expect((await s.ask({ type: 'ping', t0: 1 })).type).toBe('pong')
  })

  it('names unknown commands and bad arguments', async () => {
    const s = await track(connect(url, bearer(anna)))
    await s.ask(device('Input tester'))
    const v = t.devices.playback(anna.id).version
    expect(await s.ask({ type: 'command', action: 'explode', baseVersion: v })).toMatchObject({
      code: 'unknown_command',
      field: 'action',
      message: expect.stringMatching(/^unknown command "explode"; known: play, pause, seek/),
    })
    expect(
      await s.ask({ type: 'command', action: 'seek', positionMs: 'soon', baseVersion: v }),
    ).toMatchObject({
      code: 'invalid',
      field: 'command.positionMs',
    })
    expect(await s.ask({ type: 'command', action: 'pause' })).toMatchObject({
      code: 'invalid',
      field: 'baseVersion',
    })
    expect(
      await s.ask({ type: 'command', action: 'transfer', deviceId: 'nobody-at-all', baseVersion: v }),
    ).toMatchObject({
      code: 'not_found',
    })
    expect(await s.ask({ type: 'events', events: [{ id: 'x' }] })).toMatchObject({
      code: 'invalid',
      field: 'events.0.type',
    })
    expect(await s.ask(device('Again'))).toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/already registered/),
    })
  })

  it('a frame over the limit gets too_large; one far over it closes the socket (1009)', async () => {
    const s = await track(connect(url, bearer(anna)))
    await s.next('hello')
    s.send({ type: 'ping', t0: 1, pad: 'x'.repeat(70_000) })
    expect(await s.next('error')).toMatchObject({
      code: 'too_large',
      message: expect.stringMatching(/limited to 65536 bytes; this one has 700\d\d/),
    })
    expect((await s.ask({ type: 'ping', t0: 2 })).type).toBe('pong')
    s.send({ type: 'ping', t0: 1, pad: 'x'.repeat(300_000) })
    expect((await s.closed).code).toBe(1009)
  })

  it('a flood gets rate_limited then close 4429, while another user carries on unaffected', async () => {
    const bystander = await track(connect(url, bearer(ben)))
    await bystander.next('hello')
    const s = await track(connect(url, bearer(anna)))
    await s.next('hello')
    for (let i = 0; i < 400; i++) s.send({ type: 'ping', t0: i })
    expect(await s.next('error')).toMatchObject({ code: 'rate_limited' })
    expect(await s.closed).toEqual({ code: 4429, reason: 'too many frames' })
    expect(s.frames.filter((f) => f.type === 'pong').length).toBeLessThanOrEqual(100)
    expect((await bystander.ask({ type: 'ping', t0: 1 })).type).toBe('pong')
    expect((await t.call('GET', '/api/health')).status).toBe(200)
  })

  it('detects a peer that stopped answering, drops it, and shows the device offline', async () => {
    const id = crypto.randomUUID()
    // A real client in another process, frozen with SIGSTOP: its socket stays open but nothing
    // answers the pings, exactly like a laptop whose lid closed.
    const client = spawn(process.execPath, ['-e', FROZEN_CLIENT], {
      env: { ...process.env, URL: url.replace('http', 'ws'), TOKEN: anna.token, DEVICE: id },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await new Promise<void>((resolve) =>
      client.stdout?.on('data', (d) => String(d).includes('registered') && resolve()),
    )
    expect(t.devices.list(anna.id).find((d) => d.id === id)?.online).toBe(true)
    client.kill('SIGSTOP')
    const deadline = Date.now() + 3000
    while (t.devices.list(anna.id).find((d) => d.id === id)?.online && Date.now() < deadline)
      await Bun.sleep(50)
    client.kill('SIGKILL')
    expect(t.devices.list(anna.id).find((d) => d.id === id)?.online).toBe(false)
  })
})

const FROZEN_CLIENT = `
const ws = new WebSocket(process.env.URL + '/api/ws', { headers: { authorization: 'Bearer ' + process.env.TOKEN } })
ws.onmessage = (e) => {
  const f = JSON.parse(e.data)
  if (f.type === 'hello') ws.send(JSON.stringify({ type: 'register', device: { id: process.env.DEVICE, name: 'Lid', kind: 'desktop', capabilities: ['audio'] } }))
  if (f.type === 'registered') console.log('registered')
}
`
