import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { XMLParser } from 'fast-xml-parser'
import type { Principal } from '../accounts/index.ts'
import {
  fails,
  type LibraryApp,
  libraryApp,
  markMissing,
  purgeTrack,
  type SeededAlbum,
  seedAlbum,
  signedIn,
} from './testing.ts'

let t: LibraryApp
let anna: Principal
let ben: Principal
let kid: Principal
let admin: Principal
let jazz: SeededAlbum
let rock: SeededAlbum

const principal = (token: string) => signedIn(t, token)

beforeAll(async () => {
  t = await libraryApp()
  jazz = seedAlbum(t.db, {
    folderId: 1,
    artist: 'Café Aurora',
    album: 'Lumière',
    titles: ['A', 'B', 'C', 'D'],
  })
  rock = seedAlbum(t.db, { folderId: 2, artist: 'Loud', album: 'Grown', titles: ['X', 'Y'], seconds: 200 })
  anna = principal((await t.user('anna')).token)
  ben = principal((await t.user('ben')).token)
  kid = principal((await t.user('kid', 'user', [1])).token)
  admin = principal((await t.user('root', 'admin')).token)
})
afterAll(() => t.close())

const a = () => jazz.trackIds[0] as number
const b = () => jazz.trackIds[1] as number
const c = () => jazz.trackIds[2] as number
const d = () => jazz.trackIds[3] as number
const seen = (viewer: Principal, p: { id: number }) => t.playlists.get(viewer, p.id)
const titles = (p: { entries: { track: { title: string } }[] }) => p.entries.map((e) => e.track.title)
const positions = (playlistId: number) =>
  new Map(
    t.db
      .all<{ id: number; position: string }>(
        sql`SELECT id, position FROM playlist_entries WHERE playlist_id = ${playlistId}`,
      )
      .map((r) => [r.id, r.position]),
  )
describe('ordered entries', () => {
  it('creates a playlist with tracks in order, duplicates included, and totals the duration', () => {
    const p = seen(
      anna,
      t.playlists.create(anna, { name: '  Morning ', trackIds: [a(), b(), a(), rock.trackIds[0] as number] }),
    )
    expect(p.name).toBe('Morning')
    expect(titles(p)).toEqual(['A', 'B', 'A', 'X'])
    expect(p.entries.map((e) => e.index)).toEqual([0, 1, 2, 3])
    expect(p.entryCount).toBe(4)
    expect(p.duration).toBe(180 * 3 + 200)
    expect(p).toMatchObject({ owner: { id: anna.userId, username: 'anna' }, public: false, editable: true })
  })

  it('inserts, removes and moves entries writing only the rows that move', () => {
    const p = t.playlists.create(anna, { name: 'Order', trackIds: [a(), b(), c()] })
    const before = positions(p.id)
    const inserted = seen(anna, t.playlists.addTracks(anna, p.id, [d(), d()], 1))
    expect(titles(inserted)).toEqual(['A', 'D', 'D', 'B', 'C'])
    const afterInsert = positions(p.id)
    for (const [id, key] of before) expect(afterInsert.get(id)).toBe(key)

    const [first, , , bEntry, cEntry] = inserted.entries
    const moved = seen(
      anna,
      t.playlists.moveEntries(anna, p.id, [cEntry?.entryId as number, first?.entryId as number], 0),
    )
    expect(titles(moved)).toEqual(['C', 'A', 'D', 'D', 'B'])
    const afterMove = positions(p.id)
    const movedIds = [cEntry?.entryId, first?.entryId]
    for (const [id, key] of afterMove) if (!movedIds.includes(id)) expect(afterInsert.get(id)).toBe(key)

    const removed = seen(
      anna,
      t.playlists.removeEntries(anna, p.id, { indexes: [2], entryIds: [bEntry?.entryId as number] }),
    )
    expect(titles(removed)).toEqual(['C', 'A', 'D'])
    // Entry ids are stable through all of it.
    expect(removed.entries[0]?.entryId).toBe(cEntry?.entryId as number)
  })

  it('keeps order through many inserts at the same place and moves to the end', () => {
    const p = t.playlists.create(anna, { name: 'Dense', trackIds: [a(), b()] })
    for (let i = 0; i < 60; i++) t.playlists.addTracks(anna, p.id, [c()], 1)
    let now = t.playlists.get(anna, p.id)
    expect(titles(now)).toEqual(['A', ...Array(60).fill('C'), 'B'])
    now = seen(anna, t.playlists.moveEntries(anna, p.id, [now.entries[0]?.entryId as number], 61))
    expect(titles(now).at(-1)).toBe('A')
    expect(titles(now)[0]).toBe('C')
  })

  it('refuses bad positions, unknown entries and tracks, naming the field', () => {
    const p = t.playlists.create(anna, { name: 'Strict', trackIds: [a()] })
    expect(fails(() => t.playlists.addTracks(anna, p.id, [b()], 5)).details).toEqual({ field: 'index' })
    expect(fails(() => t.playlists.addTracks(anna, p.id, [b(), 99999])).details).toEqual({
      field: 'trackIds[1]',
    })
    expect(fails(() => t.playlists.removeEntries(anna, p.id, { indexes: [1] })).details).toEqual({
      field: 'indexes[0]',
    })
    expect(fails(() => t.playlists.moveEntries(anna, p.id, [123456], 0)).details).toEqual({
      field: 'entryIds[0]',
    })
    expect(fails(() => t.playlists.create(anna, { name: '   ' })).details).toEqual({ field: 'name' })
    expect(titles(t.playlists.get(anna, p.id))).toEqual(['A'])
  })

  it('replaces every entry, and applies Subsonic-style updates in one transaction', () => {
    const p = t.playlists.create(anna, { name: 'Swap', trackIds: [a(), b(), c()] })
    expect(titles(seen(anna, t.playlists.replaceTracks(anna, p.id, [d(), a()])))).toEqual(['D', 'A'])
    const updated = seen(
      anna,
      t.playlists.update(anna, p.id, {
        name: 'Swapped',
        comment: 'for Sundays',
        public: true,
        removeIndexes: [0],
        addTrackIds: [c(), c()],
      }),
    )
    expect(updated).toMatchObject({ name: 'Swapped', comment: 'for Sundays', public: true })
    expect(titles(updated)).toEqual(['A', 'C', 'C'])
    // A bad index leaves everything as it was.
    fails(() => t.playlists.update(anna, p.id, { name: 'Broken', removeIndexes: [7] }))
    expect(t.playlists.get(anna, p.id).name).toBe('Swapped')
  })
})

describe('who may see and change what', () => {
  it('lists your own playlists first, then public ones of others', () => {
    const mine = t.playlists.create(ben, { name: 'Ben private' })
    const shared = t.playlists.create(ben, { name: 'Ben public', public: true, trackIds: [a()] })
    const seenByAnna = t.playlists.list(anna)
    expect(seenByAnna.some((p) => p.id === mine.id)).toBe(false)
    const found = seenByAnna.find((p) => p.id === shared.id)
    expect(found).toMatchObject({ editable: false, entryCount: 1, duration: 180 })
    expect(seenByAnna.findIndex((p) => p.owner.id === ben.userId)).toBeGreaterThan(
      seenByAnna.findLastIndex((p) => p.owner.id === anna.userId),
    )
    expect(t.playlists.list(anna, { ownerId: ben.userId }).map((p) => p.name)).toEqual(['Ben public'])
    expect(t.playlists.list(admin, { ownerId: ben.userId }).map((p) => p.name)).toEqual([
      'Ben private',
      'Ben public',
    ])
  })

  it('lets others read a public playlist but only the owner or an admin change it', () => {
    const p = t.playlists.create(ben, { name: 'Readable', public: true, trackIds: [a()] })
    expect(titles(t.playlists.get(anna, p.id))).toEqual(['A'])
    expect(fails(() => t.playlists.addTracks(anna, p.id, [b()])).kind).toBe('forbidden')
    expect(fails(() => t.playlists.delete(anna, p.id)).kind).toBe('forbidden')
    expect(titles(seen(admin, t.playlists.addTracks(admin, p.id, [b()])))).toEqual(['A', 'B'])
  })

  it('answers 404 for a private playlist of someone else, as for one that does not exist', () => {
    const p = t.playlists.create(ben, { name: 'Secret' })
    expect(fails(() => t.playlists.get(anna, p.id)).message).toBe(`playlist ${p.id} not found`)
    expect(fails(() => t.playlists.get(anna, 987654)).message).toBe('playlist 987654 not found')
    expect(fails(() => t.playlists.update(anna, p.id, { name: 'Mine now' })).kind).toBe('not_found')
    t.playlists.delete(admin, p.id)
    expect(fails(() => t.playlists.get(ben, p.id)).kind).toBe('not_found')
  })

  it('never shows tracks outside the viewer’s folders, and indexes count only what they see', () => {
    const p = t.playlists.create(ben, {
      name: 'Mixed',
      public: true,
      trackIds: [rock.trackIds[0] as number, a(), rock.trackIds[1] as number, b()],
    })
    const seen = t.playlists.get(kid, p.id)
    expect(titles(seen)).toEqual(['A', 'B'])
    expect(seen).toMatchObject({ entryCount: 2, duration: 360 })
    expect(t.playlists.list(kid).find((x) => x.id === p.id)?.entryCount).toBe(2)
    // The kid may not add a track they cannot see, even to their own playlist.
    const own = t.playlists.create(kid, { name: 'Kid' })
    expect(fails(() => t.playlists.addTracks(kid, own.id, [rock.trackIds[0] as number])).kind).toBe('invalid')
    expect(t.playlists.export(kid, p.id, 'm3u8').body).not.toContain('Grown')
  })
})

describe('collaborative playlists', () => {
  it('let everyone add, move and remove tracks, and say who added each', () => {
    const p = t.playlists.create(ben, { name: 'Road trip', collaborative: true, trackIds: [a()] })
    expect(t.playlists.summary(anna, p.id)).toMatchObject({
      public: true,
      collaborative: true,
      editable: false,
      tracksEditable: true,
    })
    t.playlists.addTracks(anna, p.id, [b(), c()])
    const [first, , third] = t.playlists.get(kid, p.id).entries
    t.playlists.moveEntries(kid, p.id, [third?.entryId as number], 0)
    t.playlists.removeEntries(anna, p.id, { entryIds: [first?.entryId as number] })
    // A collaborator's Subsonic updatePlaylist (tracks only) is theirs to make too.
    t.playlists.update(kid, p.id, { addTrackIds: [d()] })
    const now = t.playlists.get(ben, p.id)
    expect(titles(now)).toEqual(['C', 'B', 'D'])
    expect(now.entries.map((e) => e.addedBy?.username)).toEqual(['anna', 'anna', 'kid'])
  })

  it('leave renaming, replacing, privacy and deletion to the owner (403 naming them)', () => {
    const p = t.playlists.create(ben, { name: 'Family', collaborative: true, trackIds: [a()] })
    for (const attempt of [
      () => t.playlists.update(anna, p.id, { name: 'Mine' }),
      () => t.playlists.update(anna, p.id, { collaborative: false }),
      () => t.playlists.replaceTracks(anna, p.id, [b()]),
      () => t.playlists.delete(anna, p.id),
    ]) {
      const err = fails(attempt)
      expect(err.kind).toBe('forbidden')
      expect(err.message).toContain('only its owner (ben)')
    }
    expect(titles(t.playlists.get(ben, p.id))).toEqual(['A'])
  })

  it('end when the owner makes the playlist private; a private playlist cannot be collaborative', () => {
    const p = t.playlists.create(ben, { name: 'Brief', collaborative: true })
    expect(t.playlists.update(ben, p.id, { public: false })).toMatchObject({
      public: false,
      collaborative: false,
    })
    expect(fails(() => t.playlists.get(anna, p.id)).kind).toBe('not_found')
    expect(
      fails(() => t.playlists.update(ben, p.id, { collaborative: true, public: false })).details,
    ).toEqual({
      field: 'collaborative',
    })
    expect(t.playlists.update(ben, p.id, { collaborative: true })).toMatchObject({
      public: true,
      collaborative: true,
    })
  })

  it('keep a collaborator’s additions when that collaborator’s account is deleted', async () => {
    const guest = await t.user('guest')
    const p = t.playlists.create(ben, { name: 'Party', collaborative: true })
    t.playlists.addTracks(signedIn(t, guest.token), p.id, [a()])
    t.accounts.users.remove(guest.id, { principal: undefined })
    expect(t.playlists.get(ben, p.id).entries.map((e) => [e.track.title, e.addedBy])).toEqual([['A', null]])
  })
})

describe('tracks that go missing or leave the catalog', () => {
  it('hides entries of missing files until they return, and drops them when the catalog purges the track', () => {
    const extra = seedAlbum(t.db, { folderId: 1, artist: 'Fleeting', album: 'Gone', titles: ['G1', 'G2'] })
    const [g1, g2] = extra.trackIds as [number, number]
    const p = t.playlists.create(anna, { name: 'Fragile', trackIds: [a(), g1, b(), g2] })
    markMissing(t.db, [g1])
    expect(titles(t.playlists.get(anna, p.id))).toEqual(['A', 'B', 'G2'])
    // Index 1 is B as the viewer sees it, not the hidden G1.
    expect(titles(seen(anna, t.playlists.removeEntries(anna, p.id, { indexes: [1] })))).toEqual(['A', 'G2'])
    markMissing(t.db, [g1], false)
    expect(titles(t.playlists.get(anna, p.id))).toEqual(['A', 'G1', 'G2'])
    purgeTrack(t.db, g2)
    expect(titles(t.playlists.get(anna, p.id))).toEqual(['A', 'G1'])
    expect(positions(p.id).size).toBe(2)
  })
})

describe('export', () => {
  it('writes M3U with paths relative to the music folder, and XSPF with titles and durations', () => {
    const p = t.playlists.create(anna, { name: 'Trip: "best" / of', comment: 'a & b', trackIds: [a(), c()] })
    const m3u = t.playlists.export(anna, p.id, 'm3u')
    expect(m3u.contentType).toBe('audio/x-mpegurl; charset=utf-8')
    expect(m3u.filename).toBe('Trip_ _best_ _ of.m3u')
    expect(m3u.body).toBe(
      [
        '#EXTM3U',
        '#PLAYLIST:Trip: "best" / of',
        '#EXTINF:180,Café Aurora - A',
        'Café Aurora/Lumière/01 - A.flac',
        '#EXTINF:180,Café Aurora - C',
        'Café Aurora/Lumière/03 - C.flac',
        '',
      ].join('\n'),
    )
    const xspf = t.playlists.export(anna, p.id, 'xspf')
    expect(xspf.contentType).toBe('application/xspf+xml; charset=utf-8')
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xspf.body)
    expect(doc.playlist['@_xmlns']).toBe('http://xspf.org/ns/0/')
    expect(doc.playlist.title).toBe('Trip: "best" / of')
    expect(doc.playlist.annotation).toBe('a & b')
    expect(doc.playlist.trackList.track).toEqual([
      {
        location: 'Caf%C3%A9%20Aurora/Lumi%C3%A8re/01%20-%20A.flac',
        title: 'A',
        creator: 'Café Aurora',
        album: 'Lumière',
        trackNum: 1,
        duration: 180000,
      },
      {
        location: 'Caf%C3%A9%20Aurora/Lumi%C3%A8re/03%20-%20C.flac',
        title: 'C',
        creator: 'Café Aurora',
        album: 'Lumière',
        trackNum: 3,
        duration: 180000,
      },
    ])
  })
})

describe('live updates', () => {
  it('publishes each change on the playlists topic: to the owner while private, to everyone when public', () => {
    const seen: { change: string; audience: unknown }[] = []
    const stop = t.hub.subscribe('playlists', (payload, audience) =>
      seen.push({ change: payload.change, audience }),
    )
    const p = t.playlists.create(anna, { name: 'Live' })
    t.playlists.update(anna, p.id, { public: true })
    t.playlists.update(anna, p.id, { name: 'Live!' })
    t.playlists.delete(anna, p.id)
    // A refused change publishes nothing.
    fails(() => t.playlists.update(anna, p.id, { name: 'x' }))
    stop()
    const owner = { userIds: [anna.userId] }
    expect(seen).toEqual([
      { change: 'created', audience: owner },
      { change: 'updated', audience: undefined },
      { change: 'updated', audience: undefined },
      { change: 'deleted', audience: undefined },
    ])
  })
})
