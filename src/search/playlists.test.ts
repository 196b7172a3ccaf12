import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Principal } from '../accounts/index.ts'
import { type LibraryApp, libraryApp, signedIn } from '../playlists/testing.ts'
import { createPlaylistSearch, type PlaylistSearch } from './playlists.ts'

// The playlist index over real playlists rows, kept current the way the server keeps it: the
// playlists domain's change notice calls `changed(id)`.

let t: LibraryApp
let index: PlaylistSearch
let anna: Principal
let ben: Principal
const made: Record<string, number> = {}

beforeAll(async () => {
  t = await libraryApp()
  anna = signedIn(t, (await t.user('anna')).token)
  ben = signedIn(t, (await t.user('ben')).token)
  made.road = t.playlists.create(anna, { name: 'Road Trip', public: true }).id
  made.beyonce = t.playlists.create(anna, { name: 'Beyoncé & friends', comment: 'for the car' }).id
  made.secret = t.playlists.create(ben, { name: 'Road to nowhere' }).id
  index = createPlaylistSearch(t.db)
  index.load()
})
afterAll(() => t.close())

const names = (q: string, who: Principal, offset = 0, limit = 10) =>
  index.find(q, { offset, limit, userId: who.userId }).ids.map((id) => t.playlists.summary(who, id).name)

describe('playlists in search', () => {
  it('find by name, comment and owner, forgiving case, diacritics and a typo, the last word a prefix', () => {
    expect(names('beyonce', anna)).toEqual(['Beyoncé & friends'])
    expect(names('road tr', anna)).toEqual(['Road Trip'])
    expect(names('raad trip', anna)).toEqual(['Road Trip'])
    expect(names('car', anna)).toEqual(['Beyoncé & friends'])
    expect(names('anna', ben)).toEqual(['Road Trip'])
  })

  it('show only your own and the public ones', () => {
    expect(names('road', anna)).toEqual(['Road Trip'])
    expect(names('road', ben).sort()).toEqual(['Road Trip', 'Road to nowhere'])
    expect(names('beyonce', ben)).toEqual([])
    expect(index.find('', { offset: 0, limit: 10, userId: ben.userId }).total).toBe(2)
  })

  it('follow renames, privacy and deletion as the playlists domain reports them', () => {
    t.playlists.update(ben, made.secret as number, { name: 'Sunday drive', public: true })
    index.changed(made.secret as number)
    expect(names('sunday', anna)).toEqual(['Sunday drive'])
    expect(names('nowhere', anna)).toEqual([])
    t.playlists.delete(ben, made.secret as number)
    index.changed(made.secret as number)
    expect(names('sunday', ben)).toEqual([])
    expect(index.size()).toBe(2)
  })

  it('page through a blank query by name', () => {
    expect(names('', anna, 0, 1)).toEqual(['Beyoncé & friends'])
    expect(names('', anna, 1, 1)).toEqual(['Road Trip'])
    expect(index.find('', { offset: 1, limit: 1, userId: anna.userId }).total).toBe(2)
    expect(index.find('?!', { offset: 0, limit: 5, userId: anna.userId })).toEqual({ ids: [], total: 0 })
  })
})
