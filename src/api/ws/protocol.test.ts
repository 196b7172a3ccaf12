import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { PlaybackState } from '../../devices/index.ts'
import { type TestApp, testApp } from '../testing.ts'
import { connect, device, type Frame, type TestSocket } from './testing.ts'

// The device channel over real sockets: the real app served by the real platform seam on a
// loopback port, real WebSocket clients, a real SQLite database behind it.

let t: TestApp
let url: string
let anna: { id: number; token: string }
let ben: { id: number; token: string }
const open: TestSocket[] = []

beforeAll(async () => {
  t = await testApp()
  url = (await t.listen()).url
  anna = await t.user('anna')
  ben = await t.user('ben')
})
afterAll(() => {
  for (const s of open) s.close()
  t.close()
})

async function deviceOf(user: { token: string }, name: string, caps?: string[], id?: string) {
  const s = await connect(url, { headers: { authorization: `Bearer ${user.token}` } })
  open.push(s)
  const registered = await s.ask(device(name, caps, id))
  expect(registered.type).toBe('registered')
  return { s, id: (registered.device as { id: string }).id, registered }
}
const stateOf = (f: Frame) => f.state as PlaybackState
const version = async (s: TestSocket) => stateOf(await s.next('registered')).version

describe('device channel protocol', () => {
  it('greets with hello: protocol, server time, heartbeat, limits and what it understands', async () => {
    const s = await connect(url, { headers: { authorization: `Bearer ${anna.token}` } })
    open.push(s)
    const hello = await s.next('hello')
    expect(hello).toMatchObject({
      protocol: 1,
      heartbeatMs: 10_000,
      limits: { maxFrameBytes: 65536, framesPerSecond: 50, burst: 100 },
      user: { id: anna.id, username: 'anna' },
      topics: ['scan', 'library', 'playlists', 'now-playing'],
    })
    expect(Math.abs((hello.serverTime as number) - Date.now())).toBeLessThan(1000)
    expect(hello.actions).toContain('transfer')
  })

  it('answers NTP-style pings with the server times it received and sent them', async () => {
    const { s } = await deviceOf(anna, 'Clock')
    const t0 = Date.now()
    const pong = await s.ask({ type: 'ping', t0 })
    const t3 = Date.now()
    expect(pong).toMatchObject({ type: 'pong', t0 })
    const [t1, t2] = [pong.t1 as number, pong.t2 as number]
    expect(t2).toBeGreaterThanOrEqual(t1)
    // Same machine, same clock: the offset estimate must come out near zero.
    expect(Math.abs((t1 - t0 + (t2 - t3)) / 2)).toBeLessThan(50)
  })

  it("fans a command out to every one of the user's devices and to nobody else", async () => {
    const a = await deviceOf(anna, 'Phone')
    const b = await deviceOf(anna, 'Laptop')
    const other = await deviceOf(ben, 'Ben’s phone')
    const base = await version(a.s)
    const since = [a.s.frames.length, b.s.frames.length]
    const ack = await a.s.ask({
      type: 'command',
      action: 'setQueue',
      trackIds: [1, 2, 3],
      play: true,
      baseVersion: base,
    })
    expect(ack).toMatchObject({ type: 'ack', version: base + 1 })
    for (const [i, dev] of [a, b].entries()) {
      const f = await dev.s.next('state', (f) => stateOf(f).version === base + 1, { since: since[i] })
      expect(stateOf(f)).toMatchObject({
        queue: [1, 2, 3],
        playing: true,
        activeDeviceId: a.id,
        changedBy: a.id,
      })
      expect(typeof f.serverTime).toBe('number')
    }
    await Bun.sleep(50)
    expect(other.s.frames.filter((f) => f.type === 'state')).toEqual([])
    // The REST view agrees, and lists both devices online.
    const rest = (await (await t.call('GET', '/api/devices', { token: anna.token })).json()) as {
      items: { id: string; online: boolean; active: boolean }[]
    }
    expect(rest.items.find((d) => d.id === a.id)).toMatchObject({ online: true, active: true })
    expect(rest.items.find((d) => d.id === b.id)).toMatchObject({ online: true, active: false })
  })

  it('transfer: the target becomes active at the extrapolated position, and the handoff is measured', async () => {
    const a = await deviceOf(ben, 'Kitchen')
    const b = await deviceOf(ben, 'Living room')
    let v = await version(a.s)
    await a.s.ask({
      type: 'command',
      action: 'setQueue',
      trackIds: [9],
      play: true,
      positionMs: 30_000,
      baseVersion: v,
    })
    await Bun.sleep(300)
    const before = Date.now()
    const ack = await b.s.ask({ type: 'command', action: 'transfer', deviceId: b.id, baseVersion: ++v })
    const moved = stateOf(await b.s.next('state', (f) => stateOf(f).version === (ack.version as number)))
    expect(moved.activeDeviceId).toBe(b.id)
    expect(moved.transfer).toMatchObject({ from: a.id, to: b.id })
    // Where the music was when the transfer happened: 30 s plus the time it had played.
    expect(moved.positionMs).toBeGreaterThanOrEqual(30_300)
    expect(moved.positionMs).toBeLessThan(30_000 + (Date.now() - before) + 1000)
    // The source stopped its speaker, the target started its own; both say when, on the server clock.
    a.s.send({
      type: 'report',
      version: moved.version,
      playing: false,
      positionMs: moved.positionMs,
      at: Date.now(),
    })
    b.s.send({
      type: 'report',
      version: moved.version,
      playing: true,
      positionMs: moved.positionMs,
      at: Date.now() + 40,
    })
    const handoff = (await a.s.next('handoff')).handoff as { gapMs: number; from: string; to: string }
    expect(handoff).toMatchObject({ from: a.id, to: b.id })
    expect(handoff.gapMs).toBeGreaterThanOrEqual(35)
    expect(await (await t.call('GET', '/metrics')).text()).toContain(
      'tonearm_device_handoff_gap_seconds_count 1',
    )
  })

  it('a device reconnecting with stale state gets the current one, and its stale change is refused', async () => {
    const id = crypto.randomUUID()
    const first = await deviceOf(anna, 'Tablet', ['audio'], id)
    const stale = stateOf(first.registered)
    first.s.close()
    await first.s.closed
    // While it was away, another device changed things.
    const other = await deviceOf(anna, 'Desktop')
    await other.s.ask({ type: 'command', action: 'volume', volume: 12, baseVersion: stale.version })
    const back = await deviceOf(anna, 'Tablet', ['audio'], id)
    expect(stateOf(back.registered)).toMatchObject({ version: stale.version + 1, volume: 12 })
    const refused = await back.s.ask({
      type: 'command',
      action: 'volume',
      volume: 99,
      baseVersion: stale.version,
    })
    expect(refused).toMatchObject({
      type: 'error',
      code: 'conflict',
      state: { version: stale.version + 1, volume: 12 },
    })
    expect(t.devices.playback(anna.id).volume).toBe(12)
  })

  it('two devices racing from the same version: the first wins, the second gets a conflict', async () => {
    const a = await deviceOf(ben, 'Left')
    const b = await deviceOf(ben, 'Right')
    const v = t.devices.playback(ben.id).version
    const [r1, r2] = await Promise.all([
      a.s.ask({ type: 'command', action: 'volume', volume: 1, baseVersion: v }),
      b.s.ask({ type: 'command', action: 'volume', volume: 2, baseVersion: v }),
    ])
    const outcomes = [r1.type, r2.type].sort()
    expect(outcomes).toEqual(['ack', 'error'])
    const winner = r1.type === 'ack' ? 1 : 2
    expect(t.devices.playback(ben.id)).toMatchObject({ version: v + 1, volume: winner })
  })

  it('forwards an offline buffer of events once, however often it is resent', async () => {
    const { s, id } = await deviceOf(anna, 'Offline phone')
    const buffer = Array.from({ length: 20 }, (_, i) => ({
      id: `${id}-ev-${i}`,
      type: 'play-ended',
      at: i,
      trackId: i + 1,
    }))
    const first = await s.ask({ type: 'events', events: buffer.slice(0, 15) })
    expect(first).toMatchObject({ type: 'events-ack', accepted: 15, duplicates: 0 })
    // The ack was "lost": the device resends everything it still holds.
    const again = await s.ask({ type: 'events', events: buffer })
    expect(again).toMatchObject({ accepted: 5, duplicates: 15 })
    expect((again.ids as string[]).length).toBe(20)
    const mine = t.events.rows(anna.id).filter((r) => r.deviceId === id)
    expect(mine.map((r) => r.eventId)).toEqual(buffer.map((e) => e.id))
  })

  it('live updates reach subscribers of the topic, filtered by audience', async () => {
    const a = await connect(url, { headers: { authorization: `Bearer ${anna.token}` } })
    const b = await connect(url, { headers: { authorization: `Bearer ${ben.token}` } })
    open.push(a, b)
    expect(await a.ask({ type: 'subscribe', topics: ['scan', 'playlists'] })).toMatchObject({
      topics: ['scan', 'playlists'],
    })
    await b.ask({ type: 'subscribe', topics: ['scan', 'playlists'] })
    t.hub.publish('scan', { status: 'running', done: 10, total: 40 })
    t.hub.publish('playlists', { playlistId: 7, change: 'updated' }, { userIds: [ben.id] })
    expect((await a.next('live')).payload).toEqual({ status: 'running', done: 10, total: 40 })
    expect((await b.next('live', (f) => f.topic === 'playlists')).payload).toMatchObject({ playlistId: 7 })
    await Bun.sleep(50)
    expect(a.frames.filter((f) => f.topic === 'playlists')).toEqual([])
    await a.ask({ type: 'unsubscribe', topics: ['scan'] })
    const since = a.frames.length
    t.hub.publish('scan', { status: 'done', done: 40, total: 40 })
    await Bun.sleep(50)
    expect(a.frames.slice(since)).toEqual([])
  })

  it('household now-playing follows what any user plays', async () => {
    const watcher = await connect(url, { headers: { authorization: `Bearer ${ben.token}` } })
    open.push(watcher)
    await watcher.ask({ type: 'subscribe', topics: ['now-playing'] })
    const { s } = await deviceOf(anna, 'Speaker')
    const v = t.devices.playback(anna.id).version
    await s.ask({ type: 'command', action: 'setQueue', trackIds: [42], play: true, baseVersion: v })
    const np = await watcher.next('live', (f) => (f.payload as { trackId: number }).trackId === 42)
    // It plays on Anna's active device (still connected from an earlier test), named as such.
    const active = t.devices.list(anna.id).find((d) => d.active)
    expect(np.payload).toMatchObject({
      userId: anna.id,
      username: 'anna',
      device: { id: active?.id, name: active?.name },
      playing: true,
    })
  })

  it('a second connection of the same device replaces the first (4409); the device stays online', async () => {
    const id = crypto.randomUUID()
    const first = await deviceOf(ben, 'Car', ['audio'], id)
    await deviceOf(ben, 'Car', ['audio'], id)
    expect(await first.s.closed).toEqual({
      code: 4409,
      reason: 'replaced by a newer connection of this device',
    })
    expect(t.devices.list(ben.id).find((d) => d.id === id)?.online).toBe(true)
  })

  it('forgetting a device over REST disconnects it (4410)', async () => {
    const { s, id } = await deviceOf(ben, 'Old tablet')
    expect((await t.call('DELETE', `/api/devices/${id}`, { token: ben.token })).status).toBe(204)
    expect((await s.closed).code).toBe(4410)
    expect((await t.call('DELETE', `/api/devices/${id}`, { token: ben.token })).status).toBe(404)
    expect((await t.call('DELETE', '/api/devices/..%2f..%2fetc', { token: ben.token })).status).toBe(400)
  })

  it('GET /api/playback shows the state with the server time to extrapolate from', async () => {
    const res = await t.call('GET', '/api/playback', { token: anna.token })
    const body = (await res.json()) as PlaybackState & { serverTime: number }
    expect(body.version).toBe(t.devices.playback(anna.id).version)
    expect(Math.abs(body.serverTime - Date.now())).toBeLessThan(1000)
  })
})
