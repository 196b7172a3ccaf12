import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { M3U8Parser } from 'hls.js'
import { SubsonicAPI } from 'subsonic-api'
import { startDemoServer } from './helpers/library.ts'
import { type Running, removeDir } from './helpers/server.ts'

// The real server from source, driven by subsonic-api — an independent Subsonic client from npm,
// not written by this project — the way a phone app uses it: sign in with the app password, browse,
// search, stream, fetch covers, make playlists, star, scrobble and move the play queue between two
// "apps".

setDefaultTimeout(180_000)
let music: string
let data: string
let server: Running
let api: SubsonicAPI
let keyApi: SubsonicAPI
// biome-ignore lint/suspicious/noExplicitAny: responses are checked field by field
type Json = Record<string, any>

beforeAll(async () => {
  ;({ server, data, music } = await startDemoServer({ search: true }))
  const created = (await (await server.api('/api/me/subsonic-password', { method: 'POST' })).json()) as Json
  // Token auth (u + t + s) with a fresh salt per request: the client's default.
  api = new SubsonicAPI({ url: server.url, auth: { username: 'admin', password: created.password } })
  const key = (await (
    await server.api('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'second phone', scopes: ['read', 'write'], kind: 'subsonic' }),
    })
  ).json()) as Json
  // A second app on an API key, posting forms (the formPost extension).
  keyApi = new SubsonicAPI({ url: server.url, auth: { apiKey: key.secret ?? key.token }, post: true })
})
afterAll(async () => {
  await server?.stop()
  removeDir(data)
})

describe('a Subsonic client against the real server', () => {
  it('pings, and finds the OpenSubsonic extensions', async () => {
    const ping = (await api.ping()) as Json
    expect(ping.status).toBe('ok')
    expect(ping.openSubsonic).toBe(true)
    expect(ping.type).toBe('tonearm')
    const ext = (await api.getOpenSubsonicExtensions()) as Json
    expect(ext.openSubsonicExtensions.map((e: Json) => e.name)).toContain('formPost')
  })

  it('browses by tags and by folder down to a song', async () => {
    const { artists } = (await api.getArtists()) as Json
    const all = artists.index.flatMap((i: Json) => i.artist)
    const cafe = all.find((a: Json) => a.name === 'Café Aurora')
    const { artist } = (await api.getArtist({ id: cafe.id })) as Json
    // Its own album, then the compilation it appears on.
    expect(artist.album.map((a: Json) => a.name)).toEqual(['Lumière du Soir', 'Tonearm Sampler, Vol. 1'])
    const { album } = (await api.getAlbum({ id: artist.album[0].id })) as Json
    expect(album.song.map((s: Json) => s.title)).toEqual([
      'Rue des Étoiles',
      'Crème Brûlée',
      'Déjà Vu à Montréal',
    ])
    // The same song reached through the folders as they lie on disk.
    const { indexes } = (await api.getIndexes()) as Json
    const top = indexes.index.flatMap((i: Json) => i.artist).find((a: Json) => a.name === 'Café Aurora')
    const { directory: artistDir } = (await api.getMusicDirectory({ id: top.id })) as Json
    expect(artistDir.child.map((c: Json) => [c.title, c.isDir])).toEqual([['2019 - Lumière du Soir', true]])
    const { directory: albumDir } = (await api.getMusicDirectory({ id: artistDir.child[0].id })) as Json
    expect(albumDir.parent).toBe(top.id)
    expect(albumDir.child.map((c: Json) => c.id)).toEqual(album.song.map((s: Json) => s.id))
  })

  it('searches, and pages through everything with an empty query', async () => {
    const { searchResult3 } = (await api.search3({ query: 'creme brulee' })) as Json
    expect(searchResult3.song[0].title).toBe('Crème Brûlée')
    const pages: string[] = []
    for (let offset = 0; ; offset += 5) {
      const page = (
        (await api.search3({
          query: '',
          songCount: 5,
          songOffset: offset,
          artistCount: 0,
          albumCount: 0,
        })) as Json
      ).searchResult3
      if (!page.song?.length) break
      pages.push(...page.song.map((s: Json) => s.id))
    }
    const tracks = ((await (await server.api('/api/tracks?limit=500')).json()) as Json).items
    expect(new Set(pages).size).toBe(tracks.length)
  })

  it('streams the original, a capped MP3 rendition, from an offset, and over HLS', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('Lumière du Soir') })) as Json
    const song = album.song[0]
    const original = await api.stream({ id: song.id })
    expect(original.headers.get('content-type')).toBe('audio/flac')
    const bytes = new Uint8Array(await original.arrayBuffer())
    expect(bytes.byteLength).toBe(statSync(join(music, song.path)).size)
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('fLaC')

    const mp3 = await api.stream({ id: song.id, format: 'mp3', maxBitRate: 96 })
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg')
    const mp3Bytes = new Uint8Array(await mp3.arrayBuffer())
    // An MP3 stream: an ID3 tag or a frame sync first, and far smaller than the FLAC.
    const head = mp3Bytes.slice(0, 3)
    expect(
      new TextDecoder().decode(head) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0),
    ).toBe(true)
    expect(mp3Bytes.byteLength).toBeLessThan(bytes.byteLength / 3)

    const late = await api.stream({ id: song.id, format: 'mp3', timeOffset: 3 })
    expect(late.headers.get('content-type')).toBe('audio/mpeg')
    const lateBytes = (await late.arrayBuffer()).byteLength
    expect(lateBytes).toBeGreaterThan(1000)

    const playlist = await (await api.custom('hls', { id: song.id })).text()
    const master = M3U8Parser.parseMasterPlaylist(playlist, server.url)
    expect(master.levels.length).toBe(4)
    const media = await (await fetch(master.levels[0]?.url as string)).text()
    const first = media.split('\n').find((l) => l.endsWith('.m4s')) as string
    const segment = await fetch(new URL(first, master.levels[0]?.url))
    expect(segment.status).toBe(200)
    expect(segment.headers.get('content-type')).toBe('audio/mp4')

    const download = await api.download({ id: song.id })
    expect((await download.arrayBuffer()).byteLength).toBe(bytes.byteLength)
  })

  it('fetches cover art, whole and resized', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('Polar Drift') })) as Json
    const whole = await api.getCoverArt({ id: album.coverArt })
    expect(whole.headers.get('content-type')).toStartWith('image/')
    const small = await api.getCoverArt({ id: album.id, size: 64 })
    expect(small.headers.get('content-type')).toBe('image/jpeg')
    const jpeg = new Uint8Array(await small.arrayBuffer())
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8])
    expect(jpeg.byteLength).toBeLessThan((await whole.arrayBuffer()).byteLength)
  })

  it('scrobbles into the listening history, from the app named by c', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('Polar Drift') })) as Json
    const song = album.song[1]
    const time = Date.now() - 60_000
    expect(((await api.scrobble({ id: song.id, time, submission: true })) as Json).status).toBe('ok')
    let history: Json[] = []
    for (let i = 0; i < 100 && history.length === 0; i++) {
      history = ((await (await server.api('/api/stats/history')).json()) as Json).items
      if (history.length === 0) await Bun.sleep(50)
    }
    expect(history[0]?.trackId).toBe(song.id.replace(/^tr-/, ''))
    expect(history[0]?.source).toBe('subsonic')
    expect(history[0]?.playedAt).toBe(time)
  })

  it('makes a playlist, changes it, and another app reads it', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('Lumière du Soir') })) as Json
    const [a, b, c] = album.song.map((s: Json) => s.id)
    const { playlist } = (await api.createPlaylist({ name: 'Soirée', songId: [a, b] })) as Json
    expect(playlist.entry.map((e: Json) => e.id)).toEqual([a, b])
    await api.updatePlaylist({
      playlistId: playlist.id,
      songIndexToRemove: [0],
      songIdToAdd: [c, a],
      comment: 'late',
    })
    const mine = ((await keyApi.getPlaylists()) as Json).playlists.playlist
    expect(mine.map((p: Json) => [p.name, p.songCount, p.comment])).toEqual([['Soirée', 3, 'late']])
    const read = ((await keyApi.getPlaylist({ id: playlist.id })) as Json).playlist
    expect(read.entry.map((e: Json) => e.id)).toEqual([b, c, a])
    await api.deletePlaylist({ id: playlist.id })
    expect(((await api.getPlaylists()) as Json).playlists.playlist ?? []).toEqual([])
  })

  it('stars and rates, and the starred lists show it', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('Polar Drift') })) as Json
    const song = album.song[0]
    await api.star({ id: song.id, albumId: album.id })
    await api.setRating({ id: album.id, rating: 5 })
    const { starred2 } = (await keyApi.getStarred2()) as Json
    expect(starred2.song.map((s: Json) => s.id)).toEqual([song.id])
    expect(starred2.album.map((a: Json) => [a.id, a.userRating])).toEqual([[album.id, 5]])
    // The client turns dates into Date objects.
    expect(new Date(starred2.album[0].starred).getTime()).toBeGreaterThan(Date.now() - 600_000)
    const { albumList2 } = (await api.getAlbumList2({ type: 'highest' })) as Json
    expect(albumList2.album[0].id).toBe(album.id)
    await api.unstar({ id: song.id })
    expect(((await api.getStarred2()) as Json).starred2.song ?? []).toEqual([])
  })

  it('hands the play queue from one app to another (and to the devices’ shared state)', async () => {
    const { album } = (await api.getAlbum({ id: await albumId('夜明けの音') })) as Json
    const ids = album.song.map((s: Json) => s.id)
    expect(((await api.savePlayQueue({ id: ids, current: ids[1], position: 4200 })) as Json).status).toBe(
      'ok',
    )
    const { playQueue } = (await keyApi.getPlayQueue()) as Json
    expect(playQueue.entry.map((e: Json) => e.id)).toEqual(ids)
    expect(playQueue.current).toBe(ids[1])
    expect(playQueue.position).toBe(4200)
    const playback = (await (await server.api('/api/playback')).json()) as Json
    expect(playback.playing).toBe(false)
    expect(playback.queue.map(String)).toEqual(ids.map((id: string) => id.replace(/^tr-/, '')))
  })
})

async function albumId(name: string): Promise<string> {
  const { albumList2 } = (await api.getAlbumList2({ type: 'alphabeticalByName', size: 50 })) as Json
  return albumList2.album.find((a: Json) => a.name === name).id
}
