import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { SeededAlbum } from '../../playlists/testing.ts'
import { type SharesApp, sharesApp } from '../../shares/testing.ts'

setDefaultTimeout(60_000)

let t: SharesApp
let anna: { id: number; token: string }
let jazz: SeededAlbum

beforeAll(async () => {
  t = await sharesApp()
  jazz = t.album(1, 'Café Aurora', 'Lumière', ['A', 'B <b>'])
  anna = await t.user('anna')
})
afterAll(() => t.close())

// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>
const call = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
  const res = await t.call(method, path, opts)
  const text = await res.text()
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : {}
  return { status: res.status, headers: res.headers, text, body: json }
}
const share = async (body: Json) => (await call('POST', '/api/shares', { token: anna.token, body })).body

describe('share routes', () => {
  it('create, list, read, change and delete a share', async () => {
    const created = await call('POST', '/api/shares', {
      token: anna.token,
      body: { items: [{ kind: 'album', id: jazz.albumId }], description: 'Sunday' },
    })
    expect(created.status).toBe(201)
    const { id } = created.body
    expect(created.body.url).toBe(`http://localhost/share/${id}`)
    expect(created.body.items[0].tracks).toHaveLength(2)
    expect(
      (await call('GET', '/api/shares', { token: anna.token })).body.items.map((s: Json) => s.id),
    ).toContain(id)
    const expiresAt = new Date(t.clock.now() + 7 * 86_400_000).toISOString()
    const changed = await call('PATCH', `/api/shares/${id}`, {
      token: anna.token,
      body: { description: 'Monday', expiresAt },
    })
    expect(changed.body).toMatchObject({ description: 'Monday', expiresAt })
    expect((await call('DELETE', `/api/shares/${id}`, { token: anna.token })).status).toBe(204)
    expect((await call('GET', `/api/shares/${id}`, { token: anna.token })).status).toBe(404)
  })

  it('answers 400 naming the field, 403 to users who may not share, 401 without credentials', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/shares', { items: [] }, 'items'],
      ['POST', '/api/shares', { items: [{ kind: 'song', id: 1 }] }, 'items.0.kind'],
      ['POST', '/api/shares', { items: [{ kind: 'track', id: 999999 }] }, 'items[0]'],
      [
        'POST',
        '/api/shares',
        { items: [{ kind: 'track', id: jazz.trackIds[0] }], expiresAt: 'tomorrow' },
        'expiresAt',
      ],
      [
        'POST',
        '/api/shares',
        { items: [{ kind: 'track', id: jazz.trackIds[0] }], expiresAt: '2001-01-01T00:00:00Z' },
        'expiresAt',
      ],
      ['GET', '/api/shares/short', undefined, 'id'],
    ]
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, { token: anna.token, body })
      expect({ body, status: res.status, field: res.body.field }).toEqual({ body, status: 400, field })
    }
    const kid = await t.user('nosharing')
    await t.accounts.users.update(kid.id, { canShare: false }, { source: 'cli' })
    const refused = await call('POST', '/api/shares', {
      token: kid.token,
      body: { items: [{ kind: 'track', id: jazz.trackIds[0] }] },
    })
    expect(refused.status).toBe(403)
    expect((await call('GET', '/api/shares')).status).toBe(401)
  })
})

describe('the public page and its media route', () => {
  it('lists the items with players, escapes what users wrote, and counts the visit', async () => {
    const s = await share({
      items: [{ kind: 'album', id: jazz.albumId }],
      description: '<script>alert(1)</script>',
    })
    const page = await call('GET', `/share/${s.id}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toStartWith('text/html')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.text).not.toContain('<script>alert(1)')
    expect(page.text).toContain('B &lt;b&gt;')
    for (const trackId of jazz.trackIds)
      expect(page.text).toContain(
        `<audio controls preload="none" src="/api/shares/${s.id}/tracks/${trackId}"></audio>`,
      )
    // The one script carries the response's CSP nonce.
    const nonce = /script-src[^;]*'nonce-([^']+)'/.exec(
      page.headers.get('content-security-policy') ?? '',
    )?.[1]
    expect(page.text).toContain(`<script nonce="${nonce}">`)
    expect((await call('GET', `/api/shares/${s.id}`, { token: anna.token })).body.visitCount).toBe(1)
  })

  it('redirects a visitor without an account to a signed URL that plays', async () => {
    const s = await share({ items: [{ kind: 'track', id: jazz.trackIds[1] }] })
    const res = await call('GET', `/api/shares/${s.id}/tracks/${jazz.trackIds[1]}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const location = res.headers.get('location') as string
    expect(location).toMatch(
      new RegExp(`^/api/media/${anna.id}\\.\\d+\\.[\\w-]+/tracks/${jazz.trackIds[1]}/file/original$`),
    )
    const media = await t.app.request(`http://localhost${location}`, { headers: { range: 'bytes=0-3' } })
    expect(media.status).toBe(206)
    expect(new TextDecoder().decode(await media.arrayBuffer())).toBe('fLaC')
    // Tracks the share does not hold, and ids that are not ids.
    expect((await call('GET', `/api/shares/${s.id}/tracks/${jazz.trackIds[0]}`)).status).toBe(404)
    expect((await call('GET', `/api/shares/${s.id}/tracks/abc`)).status).toBe(400)
  })

  it('answers 410 once expired and 404 once deleted, on the page and the media route', async () => {
    const s = await share({
      items: [{ kind: 'track', id: jazz.trackIds[0] }],
      expiresAt: new Date(t.clock.now() + 60_000).toISOString(),
    })
    t.clock.advance(60_000)
    const page = await call('GET', `/share/${s.id}`)
    expect(page.status).toBe(410)
    expect(page.text).toContain('This link has expired')
    const media = await call('GET', `/api/shares/${s.id}/tracks/${jazz.trackIds[0]}`)
    expect(media.status).toBe(410)
    expect(media.body).toMatchObject({ code: 'gone', title: 'Gone' })
    await call('DELETE', `/api/shares/${s.id}`, { token: anna.token })
    expect((await call('GET', `/share/${s.id}`)).status).toBe(404)
    expect((await call('GET', `/api/shares/${s.id}/tracks/${jazz.trackIds[0]}`)).status).toBe(404)
    expect((await call('GET', '/share/../../etc/passwd')).status).toBe(404)
  })
})
