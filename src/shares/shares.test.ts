import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { DomainError } from '../lib/errors.ts'
import { type SeededAlbum, signedIn } from '../playlists/testing.ts'
import { type SharesApp, sharesApp } from './testing.ts'

setDefaultTimeout(60_000)

let t: SharesApp
let anna: { id: number; token: string }
let kid: { id: number; token: string }
let jazz: SeededAlbum
let rock: SeededAlbum
const DAY = 86_400_000

const principal = (token: string) => signedIn(t, token)
const failure = async (fn: () => unknown): Promise<DomainError> => {
  try {
    await fn()
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
  throw new Error('expected a domain error')
}

beforeAll(async () => {
  t = await sharesApp()
  jazz = t.album(1, 'Café Aurora', 'Lumière', ['A', 'B'])
  rock = t.album(2, 'Loud', 'Grown', ['X'])
  anna = await t.user('anna')
  kid = await t.user('kid', 'user', [1])
})
afterAll(() => t.close())

const track = (i: number) => jazz.trackIds[i] as number

describe('creating shares', () => {
  it('shares tracks, albums and playlists as their owner sees them, for 30 days by default', () => {
    const list = t.playlists.create(principal(anna.token), { name: 'Mix', trackIds: [track(1), track(0)] })
    const share = t.shares.create(principal(anna.token), {
      description: 'For grandma',
      items: [
        { kind: 'track', id: track(0) },
        { kind: 'album', id: jazz.albumId },
        { kind: 'playlist', id: list.id },
      ],
    })
    expect(share.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(share.path).toBe(`/share/${share.id}`)
    expect(share.items.map((i) => [i.kind, i.name, i.tracks.map((x) => x.title)])).toEqual([
      ['track', 'A', ['A']],
      ['album', 'Lumière', ['A', 'B']],
      ['playlist', 'Mix', ['B', 'A']],
    ])
    expect(Date.parse(share.expiresAt) - t.clock.now()).toBe(30 * DAY)
    expect(share).toMatchObject({
      visitCount: 0,
      lastVisitedAt: null,
      expired: false,
      description: 'For grandma',
    })
  })

  it('refuses items the sharer may not see, bad expiries, and users who may not share', async () => {
    const kidP = principal(kid.token)
    const hidden = await failure(() =>
      t.shares.create(kidP, { items: [{ kind: 'album', id: rock.albumId }] }),
    )
    expect(hidden.details).toEqual({ field: 'items[0]' })
    const past = await failure(() =>
      t.shares.create(kidP, { items: [{ kind: 'track', id: track(0) }], expiresAt: t.clock.now() - 1 }),
    )
    expect(past.details).toEqual({ field: 'expiresAt' })
    await t.accounts.users.update(kid.id, { canShare: false }, { source: 'cli' })
    const refused = await failure(() =>
      t.shares.create(principal(kid.token), { items: [{ kind: 'track', id: track(0) }] }),
    )
    expect(refused.kind).toBe('forbidden')
    await t.accounts.users.update(kid.id, { canShare: true }, { source: 'cli' })
  })

  it('keeps shares private to their owner (and admins)', async () => {
    const share = t.shares.create(principal(anna.token), { items: [{ kind: 'track', id: track(0) }] })
    expect((await failure(() => t.shares.get(principal(kid.token), share.id))).kind).toBe('not_found')
    expect((await failure(() => t.shares.delete(principal(kid.token), share.id))).kind).toBe('not_found')
    expect(t.shares.list(principal(kid.token)).some((s) => s.id === share.id)).toBe(false)
    const root = principal((await t.user('root', 'admin')).token)
    expect(t.shares.list(root, { all: true }).some((s) => s.id === share.id)).toBe(true)
    expect(t.shares.get(root, share.id).owner.username).toBe('anna')
  })
})

describe('opening a share', () => {
  it('counts visits and shows the items as they are now', () => {
    const owner = principal(anna.token)
    const list = t.playlists.create(owner, { name: 'Growing', trackIds: [track(0)] })
    const share = t.shares.create(owner, { items: [{ kind: 'playlist', id: list.id }] })
    t.playlists.addTracks(owner, list.id, [track(1)])
    const view = t.shares.open(share.id, { countVisit: true })
    if (view.state !== 'active') throw new Error('active')
    expect(view.share.items[0]?.tracks.map((x) => x.title)).toEqual(['A', 'B'])
    expect(view.share.owner).toBe('anna')
    t.shares.open(share.id, { countVisit: true })
    t.shares.open(share.id)
    expect(t.shares.get(owner, share.id)).toMatchObject({ visitCount: 2, lastVisitedAt: expect.any(String) })
    // Deleting the playlist empties the share rather than breaking it.
    t.playlists.delete(owner, list.id)
    const after = t.shares.open(share.id)
    expect(after.state === 'active' && after.share.items).toEqual([])
  })

  it('says when a share has expired, and can be revived by its owner', () => {
    const owner = principal(anna.token)
    const share = t.shares.create(owner, {
      items: [{ kind: 'track', id: track(0) }],
      expiresAt: t.clock.now() + 3600_000,
    })
    t.clock.advance(3600_000)
    expect(t.shares.open(share.id)).toEqual({ state: 'expired', expiredAt: share.expiresAt })
    expect(t.shares.get(owner, share.id).expired).toBe(true)
    t.shares.update(owner, share.id, { expiresAt: t.clock.now() + DAY })
    expect(t.shares.open(share.id).state).toBe('active')
  })

  it('is gone once deleted, or once its owner may no longer share', async () => {
    const owner = principal(anna.token)
    const share = t.shares.create(owner, { items: [{ kind: 'track', id: track(0) }] })
    await t.accounts.users.update(anna.id, { canShare: false }, { source: 'cli' })
    expect((await failure(() => t.shares.open(share.id))).kind).toBe('not_found')
    await t.accounts.users.update(anna.id, { canShare: true }, { source: 'cli' })
    expect(t.shares.open(share.id).state).toBe('active')
    t.shares.delete(owner, share.id)
    expect((await failure(() => t.shares.open(share.id))).message).toBe(`share ${share.id} not found`)
    expect((await failure(() => t.shares.open('not-a-share-id'))).kind).toBe('not_found')
  })
})

describe('playing a share', () => {
  it('issues media URLs signed for the owner, for tracks the share holds', async () => {
    const share = t.shares.create(principal(anna.token), { items: [{ kind: 'album', id: jazz.albumId }] })
    const result = await t.shares.stream(share.id, track(1))
    if (result.state !== 'active') throw new Error('active')
    expect(result.play.progressive).toMatch(
      new RegExp(`^/api/media/${anna.id}\\.\\d{10}\\.[\\w-]{22}/tracks/${track(1)}/file/original$`),
    )
    const other = t.shares.create(principal(anna.token), { items: [{ kind: 'track', id: track(0) }] })
    expect((await failure(() => t.shares.stream(other.id, track(1)))).kind).toBe('not_found')
  })

  it('stops issuing URLs the moment the share expires', async () => {
    const share = t.shares.create(principal(anna.token), {
      items: [{ kind: 'track', id: track(0) }],
      expiresAt: t.clock.now() + 1000,
    })
    t.clock.advance(1000)
    expect((await t.shares.stream(share.id, track(0))).state).toBe('expired')
  })
})
