import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DomainError } from '../../lib/errors.ts'
import type { Events } from '../events.ts'
import { listen, testConfig, testDatabase, testEvents } from '../test-support.ts'
import { createSealer } from './sealer.ts'
import { startScrobbleStub } from './test-stub.ts'

let t: Awaited<ReturnType<typeof testDatabase>>
let stub: ReturnType<typeof startScrobbleStub>
let running: Events[] = []
beforeEach(async () => {
  t = await testDatabase()
  stub = startScrobbleStub()
  t.catalog.add('t1', { title: 'So What', artist: 'Miles Davis', album: 'Kind of Blue', durationMs: 562_000 })
  t.catalog.add('t2', {
    title: 'Blue in Green',
    artist: 'Miles Davis',
    album: 'Kind of Blue',
    durationMs: 337_000,
  })
})
afterEach(async () => {
  await Promise.all(running.map((e) => e.stop()))
  running = []
  stub.stop()
  t.cleanup()
})

function domain() {
  const e = testEvents(t, {
    config: { ...testConfig, listenbrainzUrl: stub.listenbrainzUrl, lastfmUrl: stub.lastfmUrl },
  })
  running.push(e)
  e.start()
  return e
}

const until = async (ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await Bun.sleep(5)
  }
}
const queued = () => t.sqlite.all<{ n: number }>('SELECT count(*) AS n FROM scrobble_queue')[0]?.n ?? 0

describe('scrobbling', () => {
  it('submits each counted play once to ListenBrainz and Last.fm, in each service’s format', async () => {
    const events = domain()
    // Played before connecting: never submitted.
    events.ingest(1, listen('t1', 100_000, Date.now() - 60_000), 'web')
    await Bun.sleep(5)
    events.scrobblers.set(1, 'listenbrainz', { token: 'lb-token' })
    events.scrobblers.set(1, 'lastfm', { sessionKey: 'lfm-session' })
    const at = Date.now()
    const batch = [...listen('t1', 200_000, at), ...listen('t2', 5_000, at), ...listen('unknown', 90_000, at)]
    const r = events.ingest(1, batch, 'web')
    expect(events.ingest(1, batch, 'web').duplicates).toBe(6) // a client retry adds nothing
    await events.reached(r.head)
    await until(() => queued() === 0)

    const lb = stub.accepted('listenbrainz')
    const single = lb.filter((x) => x.body.listen_type === 'single')
    expect(single).toHaveLength(1)
    expect(single[0]?.headers.authorization).toBe('Token lb-token')
    expect(single[0]?.body).toEqual({
      listen_type: 'single',
      payload: [
        {
          listened_at: Math.floor((at - 200_000) / 1000),
          track_metadata: {
            artist_name: 'Miles Davis',
            track_name: 'So What',
            release_name: 'Kind of Blue',
            additional_info: expect.objectContaining({ duration_ms: 562_000, submission_client: 'Tonearm' }),
          },
        },
      ],
    })
    // The starts announced "now playing" (the unknown track cannot be named, so it is not).
    expect(lb.filter((x) => x.body.listen_type === 'playing_now')).toHaveLength(2)
    expect(stub.accepted('lastfm').filter((x) => x.body.method === 'track.updateNowPlaying')).toHaveLength(2)

    const scrobbles = stub.accepted('lastfm').filter((x) => x.body.method === 'track.scrobble')
    expect(scrobbles).toHaveLength(1)
    const { api_sig, format, ...signed } = (scrobbles[0]?.body ?? {}) as Record<string, string>
    expect(signed).toEqual({
      method: 'track.scrobble',
      artist: 'Miles Davis',
      track: 'So What',
      album: 'Kind of Blue',
      duration: '562',
      timestamp: String(Math.floor((at - 200_000) / 1000)),
      api_key: 'server-key',
      sk: 'lfm-session',
    })
    expect(format).toBe('json')
    const expected = Object.keys(signed)
      .sort()
      .map((k) => k + signed[k])
      .join('')
    expect(api_sig).toBe(createHash('md5').update(`${expected}server-secret`).digest('hex'))
  })

  it('retries after service failures and still delivers each play exactly once', async () => {
    const events = domain()
    events.scrobblers.set(1, 'listenbrainz', { token: 'lb-token' })
    stub.fail(3, 503)
    stub.fail(1, 429, '{"error":"slow down"}')
    const plays = [0, 1, 2, 3, 4].flatMap((i) => [listen('t1', 100_000, Date.now() - i * 600_000)[1]!])
    const r = events.ingest(1, plays, 'web')
    await events.reached(r.head)
    await until(() => queued() === 0)
    const sent = stub
      .accepted('listenbrainz')
      .map((x) => (x.body.payload as { listened_at: number }[])[0]?.listened_at)
    expect(sent).toHaveLength(5)
    expect(new Set(sent).size).toBe(5)
    expect(stub.received.filter((x) => x.status !== 200)).toHaveLength(4)
  })

  it('keeps the queue across a restart and delivers it once the service is back', async () => {
    stub.setDown(true)
    const first = domain()
    first.scrobblers.set(1, 'lastfm', { sessionKey: 'lfm-session' })
    const plays = [0, 1, 2].flatMap((i) => [listen('t2', 200_000, Date.now() - i * 600_000)[1]!])
    await first.reached(first.ingest(1, plays, 'web').head)
    // Every play has been tried (and its failure recorded) before the process goes away.
    const tried = () =>
      t.sqlite.all<{ n: number }>('SELECT count(*) AS n FROM scrobble_queue WHERE attempts >= 1')[0]?.n
    await until(() => tried() === 3)
    await first.stop()
    const waiting = t.sqlite.all<{ attempts: number; last_error: string }>(
      'SELECT attempts, last_error FROM scrobble_queue',
    )
    expect(waiting).toHaveLength(3)
    expect(waiting.every((w) => w.attempts >= 1 && w.last_error === 'HTTP 503')).toBe(true)

    stub.setDown(false)
    domain() // a new process on the same database
    await until(() => queued() === 0)
    expect(stub.accepted('lastfm').filter((x) => x.body.method === 'track.scrobble')).toHaveLength(3)
  })

  it('pauses an account whose token the service refuses, and resumes when new credentials are saved', async () => {
    const events = domain()
    events.scrobblers.set(1, 'listenbrainz', { token: 'revoked' })
    await events.reached(events.ingest(1, [listen('t1', 100_000)[1]!], 'web').head)
    await until(() => events.scrobblers.list(1)[0]?.active === false)
    expect(events.scrobblers.list(1)).toEqual([
      expect.objectContaining({
        service: 'listenbrainz',
        active: false,
        pending: 1,
        disabledReason: expect.stringContaining('401'),
      }),
    ])
    // While paused, new plays are not queued (the user may never come back to fix it).
    await events.reached(events.ingest(1, [listen('t2', 100_000)[1]!], 'web').head)
    expect(queued()).toBe(1)
    events.scrobblers.set(1, 'listenbrainz', { token: 'fixed' })
    await until(() => queued() === 0)
    expect(stub.accepted('listenbrainz').map((x) => x.headers.authorization)).toEqual(['Token fixed'])
  })

  it('drops a submission the service rejects as invalid, without blocking the next', async () => {
    const events = domain()
    events.scrobblers.set(1, 'listenbrainz', { token: 'lb-token' })
    stub.fail(1, 400, '{"code":400,"error":"bad listen"}')
    await events.reached(events.ingest(1, [listen('t1', 100_000)[1]!, listen('t2', 100_000)[1]!], 'web').head)
    await until(() => queued() === 0)
    expect(stub.received.map((x) => x.status)).toEqual([400, 200])
  })

  it('forgets the account and its queue on delete', async () => {
    stub.setDown(true)
    const events = domain()
    events.scrobblers.set(2, 'listenbrainz', { token: 'lb-token' })
    await events.reached(events.ingest(2, [listen('t1', 100_000)[1]!], 'web').head)
    expect(events.scrobblers.remove(2, 'listenbrainz')).toBe(true)
    expect(events.scrobblers.remove(2, 'listenbrainz')).toBe(false)
    expect(events.scrobblers.list(2)).toEqual([])
    expect(queued()).toBe(0)
  })
})

describe('credentials', () => {
  it('are stored sealed under a 0600 key file, bound to their user and service', async () => {
    const events = domain()
    events.scrobblers.set(1, 'listenbrainz', { token: 'very-secret-token' })
    const [row] = t.sqlite.all<{ secret: string }>('SELECT secret FROM scrobble_accounts')
    expect(row?.secret).not.toContain('very-secret-token')
    const keyFile = join(t.dir, 'keys', 'scrobble.key')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/)
    const sealer = createSealer(keyFile)
    expect(JSON.parse(sealer.open(row?.secret as string, 'scrobble:1:listenbrainz'))).toEqual({
      token: 'very-secret-token',
    })
    expect(() => sealer.open(row?.secret as string, 'scrobble:2:listenbrainz')).toThrow()
  })

  it('are validated per service with the field named', () => {
    const events = domain()
    const err = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e as DomainError
      }
      throw new Error('expected an error')
    }
    expect(err(() => events.scrobblers.set(1, 'listenbrainz', {})).details?.field).toBe('token')
    expect(err(() => events.scrobblers.set(1, 'listenbrainz', { token: 'x', extra: 1 })).message).toContain(
      'Unrecognized key',
    )
    expect(
      err(() => events.scrobblers.set(1, 'lastfm', { sessionKey: 's', apiKey: 'k' })).details?.field,
    ).toBe('apiSecret')
    const bare = testEvents(t, { config: { ...testConfig, lastfmApiKey: '', lastfmApiSecret: '' } })
    const noServerKey = err(() => bare.scrobblers.set(1, 'lastfm', { sessionKey: 's' }))
    expect(noServerKey).toBeInstanceOf(DomainError)
    expect(noServerKey.details?.field).toBe('apiKey')
    expect(bare.scrobblers.set(1, 'lastfm', { sessionKey: 's', apiKey: 'k', apiSecret: 'p' }).active).toBe(
      true,
    )
  })
})
