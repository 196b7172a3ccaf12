import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { type DevicesFixture, devicesFixture, recordingPort } from './testing.ts'
import type { NowPlaying } from './topics.ts'

// The domain over a real SQLite file, with ports that record what a socket would have carried.

let f: DevicesFixture
let anna: number
let ben: number
beforeEach(async () => {
  f = await devicesFixture({ graceMs: 30 })
  anna = await f.user('anna')
  ben = await f.user('ben')
})
afterEach(() => f.close())

const phone = { id: 'anna-phone-1', name: 'Phone', kind: 'phone', capabilities: ['audio', 'volume'] }
const laptop = { id: 'anna-laptop-1', name: 'Laptop', kind: 'desktop', capabilities: ['audio'] }
const remote = { id: 'anna-remote-1', name: 'Watch', kind: 'other', capabilities: [] }
const meta = { username: 'anna' }

function kindOf(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof DomainError) return `${err.kind}: ${err.message}`
    throw err
  }
  return 'no error'
}

describe('devices domain', () => {
  it('fans a change out to every device of the user, and to no one else', async () => {
    const [p1, p2, other] = [recordingPort(), recordingPort(), recordingPort()]
    const a = f.devices.connect(anna, phone, p1, meta)
    f.devices.connect(anna, laptop, p2, meta)
    f.devices.connect(ben, { ...phone, id: 'ben-phone-01' }, other, { username: 'ben' })
    // Device lists go out a moment after a change, once per burst of arrivals.
    await Bun.sleep(80)
    const s = a.session.command({ action: 'setQueue', trackIds: [1, 2, 3], play: true }, 0)
    expect(s).toMatchObject({ version: 1, playing: true, activeDeviceId: phone.id })
    expect(p1.last('state')?.state).toBe(s)
    expect(p2.last('state')?.state).toBe(s)
    expect(other.messages.filter((m) => m.type === 'state')).toEqual([])
    // Anna's phone heard about the laptop arriving (before anything played), in one list; Ben only of his own.
    expect(p1.messages.filter((m) => m.type === 'devices').length).toBe(1)
    expect(p1.last('devices')?.devices.map((d) => [d.id, d.online, d.active])).toEqual([
      [laptop.id, true, false],
      [phone.id, true, false],
    ])
    expect(other.last('devices')?.devices.map((d) => d.id)).toEqual(['ben-phone-01'])
    expect(f.devices.list(anna).find((d) => d.active)?.id).toBe(phone.id)
  })

  it('refuses a stale base version with the current state, and leaves the newer state alone', () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    const b = f.devices.connect(anna, laptop, recordingPort(), meta).session
    a.command({ action: 'setQueue', trackIds: [1, 2] }, 0)
    b.command({ action: 'volume', volume: 30 }, 1)
    let err: DomainError | undefined
    try {
      a.command({ action: 'volume', volume: 90 }, 1)
    } catch (e) {
      err = e as DomainError
    }
    expect(err?.kind).toBe('conflict')
    expect(err?.details).toMatchObject({ version: 2, state: { version: 2, volume: 30 } })
    expect(f.devices.playback(anna)).toMatchObject({ version: 2, volume: 30 })
  })

  it("refuses another account's device id, and names the limits", () => {
    f.devices.connect(anna, phone, recordingPort(), meta)
    expect(kindOf(() => f.devices.connect(ben, phone, recordingPort(), { username: 'ben' }))).toBe(
      `forbidden: device id ${phone.id} belongs to another account: choose a new random id`,
    )
    expect(kindOf(() => f.devices.connect(anna, { ...phone, id: 'x' }, recordingPort(), meta))).toMatch(
      /^invalid: device.id: must be 8–64 letters/,
    )
    // Ben cannot make Anna's phone play either: to him it does not exist.
    const b = f.devices.connect(ben, { ...laptop, id: 'ben-laptop-1' }, recordingPort(), { username: 'ben' })
    expect(kindOf(() => b.session.command({ action: 'transfer', deviceId: phone.id }, 0))).toBe(
      `not_found: device ${phone.id} not found`,
    )
  })

  it('a reconnect replaces the old connection of the same device, which can no longer speak for it', () => {
    const old = recordingPort()
    const first = f.devices.connect(anna, phone, old, meta).session
    const second = f.devices.connect(anna, phone, recordingPort(), meta).session
    expect(old.ended?.reason).toBe('replaced')
    expect(f.devices.online(anna)).toBe(1)
    expect(kindOf(() => first.command({ action: 'pause' }, 0))).toMatch(
      /^forbidden: this connection no longer/,
    )
    first.disconnect()
    expect(f.devices.online(anna)).toBe(1)
    second.disconnect()
    expect(f.devices.list(anna)).toMatchObject([{ id: phone.id, online: false }])
  })

  it('transfers to a connected audio device only, and measures the handoff from both reports', () => {
    const [p1, p2] = [recordingPort(), recordingPort()]
    const a = f.devices.connect(anna, phone, p1, meta).session
    const b = f.devices.connect(anna, laptop, p2, meta).session
    f.devices.connect(anna, remote, recordingPort(), meta)
    a.command({ action: 'setQueue', trackIds: [5], play: true, positionMs: 1000 }, 0)
    f.clock.advance(4000)
    expect(kindOf(() => b.command({ action: 'transfer', deviceId: remote.id }, 1))).toMatch(
      /does not play audio/,
    )
    const moved = b.command({ action: 'transfer', deviceId: laptop.id }, 1)
    expect(moved).toMatchObject({ activeDeviceId: laptop.id, positionMs: 5000, playing: true })
    const t = f.clock.now()
    expect(a.report({ version: 2, playing: false, positionMs: 5040, at: t + 40 })).toBeUndefined()
    const handoff = b.report({ version: 2, playing: true, positionMs: 5000, at: t + 160 })
    expect(handoff).toMatchObject({ from: phone.id, to: laptop.id, gapMs: 120 })
    expect(p1.last('handoff')?.handoff).toEqual(handoff as NonNullable<typeof handoff>)
  })

  it('an active device reporting its position refines the state without a new version', () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    a.command({ action: 'setQueue', trackIds: [5], play: true }, 0)
    f.clock.advance(10_000)
    a.report({ version: 1, playing: true, positionMs: 9200, at: f.clock.now() })
    expect(f.devices.playback(anna)).toMatchObject({
      version: 1,
      positionMs: 9200,
      observedAt: f.clock.now(),
    })
  })

  it('persists state and devices: a restart restores both', async () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    a.command({ action: 'setQueue', trackIds: [7, 8, 9], index: 1, positionMs: 2000 }, 0)
    a.command({ action: 'shuffle', on: true }, 1)
    a.command({ action: 'repeat', mode: 'all' }, 2)
    a.disconnect()
    const before = f.devices.playback(anna)
    const again = await f.restart()
    expect(again.playback(anna)).toEqual(before)
    expect(again.list(anna)).toMatchObject([{ id: phone.id, name: 'Phone', online: false }])
    again.close()
  })

  it('pauses where the active device vanished once the grace period passes without it', async () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    const watcher = recordingPort()
    f.devices.connect(anna, remote, watcher, meta)
    a.command({ action: 'setQueue', trackIds: [5], play: true }, 0)
    f.clock.advance(7000)
    a.disconnect()
    f.clock.advance(60_000)
    await Bun.sleep(80)
    expect(f.devices.playback(anna)).toMatchObject({ playing: false, positionMs: 7000, changedBy: 'server' })
    expect(watcher.last('state')?.state.playing).toBe(false)
  })

  it('a device that comes back within the grace period keeps playing', async () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    a.command({ action: 'setQueue', trackIds: [5], play: true }, 0)
    a.disconnect()
    f.devices.connect(anna, phone, recordingPort(), meta)
    await Bun.sleep(80)
    expect(f.devices.playback(anna)).toMatchObject({ version: 1, playing: true })
  })

  it('forwards buffered events with the delivering device, and a replay counts nothing twice', async () => {
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    const batch = [
      { id: 'ev-1', type: 'play-ended', at: 1, trackId: 5, heardMs: 31_000 },
      { id: 'ev-2', type: 'skip', at: 2, trackId: 6, deviceId: 'spoofed-device' },
    ]
    expect(await a.ingest(batch)).toEqual({ accepted: 2, duplicates: 0, ids: ['ev-1', 'ev-2'] })
    expect(await a.ingest([...batch, { id: 'ev-3', type: 'like', at: 3 }])).toMatchObject({
      accepted: 1,
      duplicates: 2,
    })
    expect(f.events.rows(anna).map((r) => [r.eventId, r.deviceId])).toEqual([
      ['ev-1', phone.id],
      ['ev-2', phone.id],
      ['ev-3', phone.id],
    ])
    await expect(a.ingest([{ id: '', type: 'x', at: 1 }])).rejects.toThrow(/events.0.id/)
  })

  it('Subsonic play queue reads and writes the same state', () => {
    const port = recordingPort()
    f.devices.connect(anna, phone, port, meta).session.command({ action: 'setQueue', trackIds: [1, 2] }, 0)
    const saved = f.devices.savePlayQueue(anna, {
      trackIds: [4, 5, 6],
      current: 5,
      positionMs: 12_000,
      changedBy: 'DSub',
    })
    expect(saved).toMatchObject({
      trackIds: [4, 5, 6],
      current: 5,
      positionMs: 12_000,
      changedBy: 'DSub',
      version: 2,
    })
    expect(port.last('state')?.state).toMatchObject({ queue: [4, 5, 6], index: 1, playing: false })
    expect(f.devices.getPlayQueue(anna)).toEqual(saved)
    expect(() => f.devices.savePlayQueue(anna, { trackIds: [1], current: 9, changedBy: 'x' })).toThrow(
      'current track 9 is not in the queue',
    )
  })

  it('publishes now-playing to the hub when what plays changes, not on volume', () => {
    const seen: NowPlaying[] = []
    const stop = f.hub.subscribe('now-playing', (p) => void seen.push(p))
    const a = f.devices.connect(anna, phone, recordingPort(), meta).session
    a.command({ action: 'setQueue', trackIds: [3], play: true }, 0)
    a.command({ action: 'volume', volume: 10 }, 1)
    a.command({ action: 'pause' }, 2)
    stop()
    expect(seen.map((p) => [p.username, p.device?.name, p.trackId, p.playing])).toEqual([
      ['anna', 'Phone', 3, true],
      ['anna', 'Phone', 3, false],
    ])
  })

  it('checks queued tracks against the catalog when it is wired', async () => {
    const g = await devicesFixture({ knownTracks: (_u, ids) => new Set(ids.filter((id) => id < 100)) })
    const u = await g.user('cleo')
    const s = g.devices.connect(u, phone, recordingPort(), { username: 'cleo' }).session
    expect(kindOf(() => s.command({ action: 'addToQueue', trackIds: [5, 500] }, 0))).toBe(
      'invalid: track 500 is not in your library',
    )
    g.close()
  })

  it('forgetting a device ends its connection and removes it from the list', () => {
    const port = recordingPort()
    f.devices.connect(anna, phone, port, meta)
    f.devices.forget(anna, phone.id)
    expect(port.ended?.reason).toBe('forgotten')
    expect(f.devices.list(anna)).toEqual([])
    expect(kindOf(() => f.devices.forget(ben, phone.id))).toBe(`not_found: device ${phone.id} not found`)
  })
})
