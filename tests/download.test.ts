import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { demoLibraryCopy } from './helpers/library.ts'
import {
  fromSource,
  type Running,
  removeDir,
  start,
  tempDir,
  waitForHealth,
  waitForScanned,
} from './helpers/server.ts'

// Zip downloads against the real server and the demo library, split into two music folders: an
// album, a playlist over REST and an album and a directory over Subsonic's `download`, unzipped
// and compared byte for byte with the files on disk; a user without the download grant and a
// user without the album's folder are refused the way a single song's download refuses them.

setDefaultTimeout(180_000)

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Json = Record<string, any>
let root: string
let grownUps: string
let data: string
let server: Running
let adminPassword: string

const SUBSONIC = 'v=1.16.1&c=download-test&f=json'

beforeAll(async () => {
  const music = await demoLibraryCopy()
  root = join(music, '..')
  const kids = join(root, 'kids')
  grownUps = join(root, 'grown-ups')
  renameSync(music, grownUps)
  mkdirSync(kids)
  renameSync(join(grownUps, 'Yūki Hoshino'), join(kids, 'Yūki Hoshino'))
  data = tempDir()
  server = await start(fromSource, ['--data', data, '--music', kids, '--music', grownUps], { admin: true })
  await waitForHealth(server.url, (b) => b.components.scanner?.status === 'ok')
  await waitForScanned(server)
  adminPassword = ((await (await server.api('/api/me/subsonic-password', { method: 'POST' })).json()) as Json)
    .password
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
  removeDir(root)
})

const subsonic = (user: string, password: string, query: string) =>
  fetch(`${server.url}/rest/download?u=${user}&p=${encodeURIComponent(password)}&${SUBSONIC}&${query}`)

async function albumNamed(name: string): Promise<Json> {
  const albums = ((await (await server.api('/api/albums?limit=100')).json()) as Json).items as Json[]
  const album = albums.find((a) => a.name === name)
  if (!album) throw new Error(`no album ${name}`)
  return (await (await server.api(`/api/albums/${album.id}`)).json()) as Json
}

/** The file on disk a track came from: the demo names files "[disc-]NN - Title.ext". */
function fileOf(dir: string, track: Json): string {
  const file = readdirSync(dir).find((f) => f.replace(/\.[^.]+$/, '').endsWith(` - ${track.title}`))
  if (!file) throw new Error(`no file for ${track.title} in ${dir}`)
  return join(dir, file)
}

async function unzipped(res: Response): Promise<Record<string, Uint8Array>> {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/zip')
  return unzipSync(new Uint8Array(await res.arrayBuffer()))
}

async function newUser(username: string, body: Json): Promise<{ token: string; password: string }> {
  const made = await server.api('/api/users', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-password-1`, ...body }),
  })
  expect(made.status).toBe(201)
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-password-1` }),
  })
  const { token } = (await login.json()) as { token: string }
  const app = await fetch(`${server.url}/api/me/subsonic-password`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  })
  return { token, password: ((await app.json()) as Json).password }
}

describe('album downloads', () => {
  it('REST: a two-disc album is a zip of its originals in disc folders, byte for byte', async () => {
    const album = await albumNamed('Polar Drift')
    const res = await server.api(`/api/albums/${album.id}/download`)
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('Ångström Collective - Polar Drift.zip')}`,
    )
    const entries = await unzipped(res)
    const dir = join(grownUps, 'Ångström Collective', '2023 - Polar Drift')
    const expected = (album.tracks as Json[]).map((t) => [
      `Ångström Collective - Polar Drift/Disc ${t.discNo}/${String(t.trackNo).padStart(2, '0')} - ${t.title}.mp3`,
      fileOf(dir, t),
    ])
    expect(expected.length).toBe(4)
    expect(Object.keys(entries).sort()).toEqual(expected.map(([name]) => name as string).sort())
    for (const [name, path] of expected) {
      expect(Buffer.from(entries[name as string] as Uint8Array).equals(readFileSync(path as string))).toBe(
        true,
      )
    }
  })

  it('Subsonic: download of an album id is the same zip, flat for a single disc', async () => {
    const album = await albumNamed('Lumière du Soir')
    const entries = await unzipped(await subsonic('admin', adminPassword, `id=al-${album.id}`))
    const dir = join(grownUps, 'Café Aurora', '2019 - Lumière du Soir')
    const names = Object.keys(entries)
    expect(names.length).toBe(3)
    for (const t of album.tracks as Json[]) {
      const name = `Café Aurora - Lumière du Soir/${String(t.trackNo).padStart(2, '0')} - ${t.title}.flac`
      expect(names).toContain(name)
      expect(Buffer.from(entries[name] as Uint8Array).equals(readFileSync(fileOf(dir, t)))).toBe(true)
    }
  })

  it('Subsonic: download of a directory id zips its files under their own names, subfolders included', async () => {
    const auth = `u=admin&p=${encodeURIComponent(adminPassword)}&${SUBSONIC}`
    const get = async (endpoint: string, query = '') =>
      ((await (await fetch(`${server.url}/rest/${endpoint}?${auth}&${query}`)).json()) as Json)[
        'subsonic-response'
      ]
    const tops = (await get('getIndexes')).indexes.index.flatMap((i: Json) => i.artist) as Json[]
    const artist = tops.find((a) => a.name === 'Various Artists') as Json
    const artistDir = (await get('getMusicDirectory', `id=${artist.id}`)).directory
    const albumDirId = artistDir.child[0].id as string
    expect(albumDirId.startsWith('dr-')).toBe(true)
    const dir = join(grownUps, 'Various Artists', '2020 - Tonearm Sampler, Vol. 1')
    const onDisk = readdirSync(dir).filter((f) => f.endsWith('.m4a'))
    const sameFiles = (entries: Record<string, Uint8Array>, prefix: string) => {
      expect(Object.keys(entries).sort()).toEqual(onDisk.map((f) => `${prefix}${f}`).sort())
      for (const f of onDisk)
        expect(Buffer.from(entries[`${prefix}${f}`] as Uint8Array).equals(readFileSync(join(dir, f)))).toBe(
          true,
        )
    }
    // The album's directory, and the artist's above it (the album is a subfolder there).
    sameFiles(
      await unzipped(await subsonic('admin', adminPassword, `id=${albumDirId}`)),
      '2020 - Tonearm Sampler, Vol. 1/',
    )
    sameFiles(
      await unzipped(await subsonic('admin', adminPassword, `id=${artist.id}`)),
      'Various Artists/2020 - Tonearm Sampler, Vol. 1/',
    )
  })

  it('REST: a playlist is a zip in its own order, and a bad id is a 400 naming the parameter', async () => {
    const polar = await albumNamed('Polar Drift')
    const cafe = await albumNamed('Lumière du Soir')
    const picked = [cafe.tracks[2], polar.tracks[0]] as Json[]
    const made = (await (
      await server.api('/api/playlists', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Road: Trip', trackIds: picked.map((t) => t.id) }),
      })
    ).json()) as Json
    const entries = await unzipped(await server.api(`/api/playlists/${made.id}/download`))
    expect(Object.keys(entries)).toEqual([
      `Road_ Trip/01 - ${picked[0]?.artist} - ${picked[0]?.title}.flac`,
      `Road_ Trip/02 - ${picked[1]?.artist} - ${picked[1]?.title}.mp3`,
    ])
    const bad = await server.api('/api/albums/abc/download')
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toBe('application/problem+json')
    expect(JSON.stringify(await bad.json())).toContain('id')
  })
})

describe('who may download', () => {
  it('a user without the download grant gets 403 over REST and error 50 over Subsonic', async () => {
    const album = await albumNamed('Polar Drift')
    const { token, password } = await newUser('listener', { canDownload: false })
    const res = await fetch(`${server.url}/api/albums/${album.id}/download`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(((await res.json()) as Json).detail).toContain('may not download')
    const sub = await subsonic('listener', password, `id=al-${album.id}`)
    expect(sub.status).toBe(200)
    const body = ((await sub.json()) as Json)['subsonic-response']
    expect(body.status).toBe('failed')
    expect(body.error.code).toBe(50)
  })

  it('a user without the album folder gets 404 over REST and error 70 over Subsonic; their own album works', async () => {
    const folders = ((await (await server.api('/api/folders')).json()) as Json).items as Json[]
    const kidsFolder = folders.find((f) => f.path.endsWith('kids')) as Json
    const { token, password } = await newUser('kid', { canDownload: true, folders: [kidsFolder.id] })
    const hidden = await albumNamed('Polar Drift')
    const res = await fetch(`${server.url}/api/albums/${hidden.id}/download`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const sub = ((await (await subsonic('kid', password, `id=al-${hidden.id}`)).json()) as Json)[
      'subsonic-response'
    ]
    expect(sub.error.code).toBe(70)
    const own = await albumNamed('夜明けの音')
    const entries = await unzipped(
      await fetch(`${server.url}/api/albums/${own.id}/download`, {
        headers: { authorization: `Bearer ${token}` },
      }),
    )
    expect(Object.keys(entries).length).toBe(3)
  })
})
