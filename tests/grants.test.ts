import { afterAll, beforeAll, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { demoLibraryCopy } from './helpers/library.ts'
import { fromSource, type Running, removeDir, start, tempDir, waitForHealth } from './helpers/server.ts'

// Per-user folder grants, end to end: a user granted one music folder never sees what lives in
// another, in lists or by id, while an admin sees both.

setDefaultTimeout(120_000)

let root: string
let data: string
let server: Running
let kids: string
let grownUps: string

beforeAll(async () => {
  const music = await demoLibraryCopy()
  root = join(music, '..')
  kids = join(root, 'kids')
  grownUps = join(root, 'grown-ups')
  renameSync(music, grownUps)
  mkdirSync(kids)
  renameSync(join(grownUps, 'Yūki Hoshino'), join(kids, 'Yūki Hoshino'))
  data = tempDir()
  server = await start(fromSource, ['--data', data, '--music', kids, '--music', grownUps], { admin: true })
  await waitForHealth(server.url, (b) => b.components.scanner?.status === 'ok')
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
  removeDir(root)
})

type Album = { id: number; name: string; albumArtist: string; coverId: string | null }
const json = async (res: Response) => (await res.json()) as { items: Album[] }

it('a user granted one folder sees only its albums and tracks; an admin sees all', async () => {
  const folders = (await (await server.api('/api/folders')).json()) as {
    items: { id: number; path: string }[]
  }
  const kidsFolder = folders.items.find((f) => f.path === kids)
  expect(kidsFolder).toBeDefined()
  const made = await server.api('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'kid', password: 'kid-password-1', folders: [kidsFolder?.id] }),
  })
  expect(made.status).toBe(201)
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'kid', password: 'kid-password-1' }),
  })
  const { token } = (await login.json()) as { token: string }
  const asKid = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })

  const all = (await json(await server.api('/api/albums'))).items
  expect(all.length).toBe(4)
  const mine = (await json(await asKid('/api/albums'))).items
  expect(mine.map((a) => a.albumArtist)).toEqual(['Yūki Hoshino'])
  const tracks = (await json(await asKid('/api/tracks?limit=500'))).items
  expect(tracks.length).toBe(3)
  const artists = (await json(await asKid('/api/artists'))).items as unknown as { name: string }[]
  expect(artists.map((a) => a.name)).toEqual(['Yūki Hoshino'])

  const hidden = all.find((a) => a.albumArtist !== 'Yūki Hoshino') as Album
  const byId = await asKid(`/api/albums/${hidden.id}`)
  expect(byId.status).toBe(404)
  expect(byId.headers.get('content-type')).toBe('application/problem+json')
  expect((await server.api(`/api/albums/${hidden.id}`)).status).toBe(200)

  // A cover id is a hash of the picture: one from another folder is not found, even asked for
  // directly or with a matching ETag, and the admin still gets it.
  const own = mine[0] as Album
  const hiddenCover = all.find((a) => a.albumArtist !== 'Yūki Hoshino' && a.coverId)?.coverId
  expect(own.coverId).toBeTruthy()
  expect(hiddenCover).toBeTruthy()
  expect((await asKid(`/api/covers/${own.coverId}?size=64`)).status).toBe(200)
  for (const path of [`/api/covers/${hiddenCover}`, `/api/covers/${hiddenCover}?size=64`]) {
    const refused = await asKid(path)
    expect({ path, status: refused.status }).toEqual({ path, status: 404 })
  }
  const conditional = await fetch(`${server.url}/api/covers/${hiddenCover}`, {
    headers: { authorization: `Bearer ${token}`, 'if-none-match': `"${hiddenCover}"` },
  })
  expect(conditional.status).toBe(404)
  expect((await server.api(`/api/covers/${hiddenCover}?size=64`)).status).toBe(200)
  // The same over Subsonic, where a bare cover id is accepted as getCoverArt's id.
  const app = (await (
    await fetch(`${server.url}/api/me/subsonic-password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { password: string }
  const coverArt = async (id: string) => {
    const q = new URLSearchParams({ u: 'kid', p: app.password, v: '1.16.1', c: 'test', f: 'json', id })
    const res = await fetch(`${server.url}/rest/getCoverArt?${q}`)
    if (res.headers.get('content-type')?.startsWith('image/')) return 'image'
    return ((await res.json()) as { 'subsonic-response': { error?: { code: number } } })['subsonic-response']
      .error?.code
  }
  expect(await coverArt(`${own.coverId}`)).toBe('image')
  expect(await coverArt(`${hiddenCover}`)).toBe(70)
})
