import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type LibraryApp, libraryApp, type SeededAlbum, seedAlbum } from '../../playlists/testing.ts'

let t: LibraryApp
let anna: { id: number; token: string }
let ben: { id: number; token: string }
let kid: { id: number; token: string }
let jazz: SeededAlbum
let rock: SeededAlbum

beforeAll(async () => {
  t = await libraryApp()
  jazz = seedAlbum(t.db, { folderId: 1, artist: 'Café Aurora', album: 'Lumière', titles: ['A', 'B', 'C'] })
  rock = seedAlbum(t.db, { folderId: 2, artist: 'Loud', album: 'Grown', titles: ['X'] })
  anna = await t.user('anna')
  ben = await t.user('ben')
  kid = await t.user('kid', 'user', [1])
})
afterAll(() => t.close())

type Playlist = {
  id: number
  name: string
  public: boolean
  entryCount: number
  duration: number
  entries: { entryId: number; index: number; trackId: number; track: { title: string } }[]
}
const call = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await t.call(method, path, { token, body })
  const text = await res.text()
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: res.headers,
    text,
    body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Playlist &
      Record<string, unknown>,
  }
}
const titles = (p: Playlist) => p.entries.map((e) => e.track.title)
const a = () => jazz.trackIds[0] as number
const b = () => jazz.trackIds[1] as number
const c = () => jazz.trackIds[2] as number

describe('playlist routes', () => {
  it('create, read, insert, move, remove, rename, replace and delete', async () => {
    const created = await call('POST', '/api/playlists', anna.token, { name: 'Road', trackIds: [a(), b()] })
    expect(created.status).toBe(201)
    const id = created.body.id
    expect(titles(created.body)).toEqual(['A', 'B'])

    const added = await call('POST', `/api/playlists/${id}/entries`, anna.token, {
      trackIds: [c()],
      index: 0,
    })
    expect(titles(added.body)).toEqual(['C', 'A', 'B'])
    const [first] = added.body.entries
    const moved = await call('POST', `/api/playlists/${id}/entries/move`, anna.token, {
      entryIds: [first?.entryId],
      to: 2,
    })
    expect(titles(moved.body)).toEqual(['A', 'B', 'C'])
    const removed = await call('POST', `/api/playlists/${id}/entries/remove`, anna.token, { indexes: [1] })
    expect(titles(removed.body)).toEqual(['A', 'C'])
    const renamed = await call('PATCH', `/api/playlists/${id}`, anna.token, {
      name: 'Road trip',
      public: true,
    })
    expect(renamed.body).toMatchObject({ name: 'Road trip', public: true, entryCount: 2, duration: 360 })
    const replaced = await call('PUT', `/api/playlists/${id}/tracks`, anna.token, { trackIds: [b(), b()] })
    expect(titles(replaced.body)).toEqual(['B', 'B'])

    const listed = await call('GET', '/api/playlists', ben.token)
    expect(listed.status).toBe(200)
    expect((listed.body.items as Playlist[]).map((p) => p.name)).toContain('Road trip')
    expect((await call('GET', `/api/playlists/${id}`, ben.token)).status).toBe(200)

    expect((await call('DELETE', `/api/playlists/${id}`, anna.token)).status).toBe(204)
    expect((await call('GET', `/api/playlists/${id}`, anna.token)).status).toBe(404)
  })

  it('answers 403 to others changing a public playlist and 404 for a private one', async () => {
    const pub = (await call('POST', '/api/playlists', anna.token, { name: 'Pub', public: true })).body.id
    const priv = (await call('POST', '/api/playlists', anna.token, { name: 'Priv' })).body.id
    const forbidden = await call('PATCH', `/api/playlists/${pub}`, ben.token, { name: 'Mine' })
    expect(forbidden.status).toBe(403)
    expect(forbidden.type).toBe('application/problem+json')
    expect(forbidden.body.detail).toBe(`only its owner (anna) may change playlist ${pub}`)
    expect((await call('GET', `/api/playlists/${priv}`, ben.token)).status).toBe(404)
    expect((await call('DELETE', `/api/playlists/${priv}`, ben.token)).status).toBe(404)
  })

  it('answers 400 naming the field for bad bodies, ids and tracks the caller may not see', async () => {
    const id = (await call('POST', '/api/playlists', kid.token, { name: 'Kid' })).body.id
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/playlists', { name: 'x', extra: 1 }, 'extra'],
      ['POST', '/api/playlists', { name: 'x', trackIds: [1.5] }, 'trackIds.0'],
      ['POST', '/api/playlists', { name: 'x'.repeat(201) }, 'name'],
      ['POST', '/api/playlists', { name: '  ' }, 'name'],
      ['POST', `/api/playlists/${id}/entries`, { trackIds: [] }, 'trackIds'],
      ['POST', `/api/playlists/${id}/entries`, { trackIds: [rock.trackIds[0]] }, 'trackIds[0]'],
      ['POST', `/api/playlists/${id}/entries`, { trackIds: [a()], index: 3 }, 'index'],
      ['POST', `/api/playlists/${id}/entries/move`, { entryIds: [1], to: -1 }, 'to'],
      ['POST', `/api/playlists/${id}/entries/remove`, {}, 'entryIds'],
      ['PATCH', `/api/playlists/${id}`, { public: 'yes' }, 'public'],
    ]
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, kid.token, body)
      expect({ path, body, status: res.status, field: res.body.field }).toEqual({
        path,
        body,
        status: 400,
        field,
      })
    }
    for (const bad of ['0', 'abc', '1e3'])
      expect((await call('GET', `/api/playlists/${bad}`, kid.token)).status).toBe(400)
  })

  it('needs credentials, and the write scope for changes', async () => {
    expect((await t.call('GET', '/api/playlists')).status).toBe(401)
    const principal = t.accounts.auth.authenticate(anna.token)
    if (!principal) throw new Error('signed in')
    const readOnly = t.accounts.tokens.create(principal, { name: 'reader', scopes: ['read'] }, {}).secret
    expect((await call('GET', '/api/playlists', readOnly)).status).toBe(200)
    expect((await call('POST', '/api/playlists', readOnly, { name: 'nope' })).status).toBe(403)
  })

  it('exports M3U8 and XSPF as attachments named after the playlist', async () => {
    const id = (await call('POST', '/api/playlists', anna.token, { name: 'Été 2026', trackIds: [a()] })).body
      .id
    const m3u8 = await call('GET', `/api/playlists/${id}/export?format=m3u8`, anna.token)
    expect(m3u8.status).toBe(200)
    expect(m3u8.type).toBe('audio/x-mpegurl; charset=utf-8')
    expect(m3u8.headers.get('content-disposition')).toBe(
      `attachment; filename="_t_ 2026.m3u8"; filename*=UTF-8''%C3%89t%C3%A9%202026.m3u8`,
    )
    expect(m3u8.text).toBe(
      '#EXTM3U\n#PLAYLIST:Été 2026\n#EXTINF:180,Café Aurora - A\nCafé Aurora/Lumière/01 - A.flac\n',
    )
    const xspf = await call('GET', `/api/playlists/${id}/export?format=xspf`, anna.token)
    expect(xspf.type).toBe('application/xspf+xml; charset=utf-8')
    expect(xspf.text).toContain('<location>Caf%C3%A9%20Aurora/Lumi%C3%A8re/01%20-%20A.flac</location>')
    const bad = await call('GET', `/api/playlists/${id}/export?format=pls`, anna.token)
    expect({ status: bad.status, field: bad.body.field }).toEqual({ status: 400, field: 'format' })
  })
})
