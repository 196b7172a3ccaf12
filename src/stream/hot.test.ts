import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type StreamingFixture, streamingFixture } from './testing.ts'
import { hlsResource } from './urls.ts'

setDefaultTimeout(90_000)

// The hot path answers from what the full path served within the last second. Each test serves a
// file the full way, shows the hot lookup answering, then changes one thing and shows that it no
// longer answers — the full path then refuses with the reason (src/api/rest/media-hot.test.ts).

let f: StreamingFixture
let anna: { id: number; token: string }
let bob: { id: number; token: string }
beforeAll(async () => {
  f = await streamingFixture()
  await f.addTrack(1, { seconds: 10 })
  anna = await f.user('anna', 'user', [1])
  bob = await f.user('bob', 'user', [1])
})
afterAll(() => f.close())

const tokenOf = (url: string) => /\/media\/([^/]+)\//.exec(url)?.[1] as string
const hlsToken = (userId: number) => tokenOf(f.urls(userId, 1).master)

/** Serves `file` of `rung` the full way under `token`; returns the answer and a hot lookup of it. */
async function served(token: string, rung: string, file: string) {
  const grant = f.streaming.grant(token, 1, hlsResource(1))
  const version = /hls\/([\w-]{12})\//.exec(await f.streaming.master(grant))?.[1] as string
  const full =
    file === 'init.mp4'
      ? await f.streaming.init(grant, version, rung)
      : await f.streaming.segment(grant, version, rung, Number.parseInt(file, 10))
  const hot = (o: { token?: string; requester?: number; version?: string; file?: string } = {}) =>
    f.streaming.hotSegment(o.token ?? token, 1, o.version ?? version, rung, o.file ?? file, o.requester)
  return { full, hot }
}

/** Moves the test clock, runs `fn`, and moves it back. */
async function at<T>(deltaMs: number, fn: () => Promise<T> | T): Promise<T> {
  f.clock.advance(deltaMs)
  try {
    return await fn()
  } finally {
    f.clock.advance(-deltaMs)
  }
}

describe('the hot segment lookup', () => {
  it('answers with what the full path served, segments and inits, and nothing else', async () => {
    const seg = await served(hlsToken(anna.id), 'aac-96', '1.m4s')
    expect(seg.hot()).toBe(seg.full)
    expect(seg.hot({ requester: anna.id })).toBe(seg.full)
    const init = await served(hlsToken(anna.id), 'aac-96', 'init.mp4')
    expect(init.hot()).toBe(init.full)
    // Never served the full way, or another version: the full path decides.
    expect(seg.hot({ file: '2.m4s' })).toBeUndefined()
    expect(seg.hot({ version: 'AAAAAAAAAAAA' })).toBeUndefined()
  })

  it('forgets after a second, so the full path looks again (catalog, ladder, audio cache)', async () => {
    const s = await served(hlsToken(anna.id), 'aac-96', '1.m4s')
    expect(await at(999, () => s.hot())).toBe(s.full)
    expect(await at(1000, () => s.hot())).toBeUndefined()
  })

  it('checks the signature and the caller at every request', async () => {
    const s = await served(hlsToken(anna.id), 'aac-96', '1.m4s')
    expect(s.hot()).toBe(s.full)
    const token = hlsToken(anna.id)
    const [user, expiry, mac] = token.split('.') as [string, string, string]
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`
    expect(s.hot({ token: `${user}.${expiry}.${flipped}` })).toBeUndefined()
    expect(s.hot({ token: `${bob.id}.${expiry}.${mac}` })).toBeUndefined()
    expect(s.hot({ token: `${user}.${Number(expiry) + 3600}.${mac}` })).toBeUndefined()
    expect(s.hot({ token: tokenOf(f.urls(anna.id, 2).master) })).toBeUndefined()
    // Bob's own genuine URL for the same track: he may play it too.
    expect(s.hot({ token: hlsToken(bob.id) })).toBe(s.full)
    // A signed-in caller must be the user the URL was issued to.
    expect(s.hot({ requester: bob.id })).toBeUndefined()
  })

  it('checks the expiry at every request, even within the second', async () => {
    const token = hlsToken(anna.id)
    const expiresMs = Number(token.split('.')[1]) * 1000
    const toEdge = expiresMs - 500 - f.clock.now()
    await at(toEdge, async () => {
      const s = await served(token, 'aac-96', '1.m4s')
      expect(await at(499, () => s.hot())).toBe(s.full)
      expect(await at(500, () => s.hot())).toBeUndefined()
    })
  })

  it('follows the user’s rights as they are now: bitrate cap, folders, existence', async () => {
    const carl = await f.user('carl', 'user', [1])
    const top = await served(hlsToken(carl.id), 'aac-320', '1.m4s')
    const low = await served(hlsToken(carl.id), 'aac-96', '1.m4s')
    expect(top.hot()).toBe(top.full)
    await f.accounts.users.update(carl.id, { maxBitrate: 96 }, { source: 'cli' })
    expect(top.hot()).toBeUndefined()
    expect(low.hot()).toBe(low.full)
    await f.accounts.users.update(carl.id, { folders: [] }, { source: 'cli' })
    expect(low.hot()).toBeUndefined()
    await f.accounts.users.update(carl.id, { folders: [1] }, { source: 'cli' })
    expect(low.hot()).toBe(low.full)
    f.accounts.users.remove(carl.id, { source: 'cli' })
    expect(low.hot()).toBeUndefined()
  })
})
