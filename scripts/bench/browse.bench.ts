// Browsing a large library through the real server: the lists, details, recommendations, charts
// and Subsonic calls a player makes, on the search benchmark's synthetic catalog (100,000 tracks,
// 8,000 albums, 5,000 artists) with a household of three that has played 90,000 tracks through
// POST /api/events. Each call is timed over real HTTP, median of 20 after one warm-up; the in-run
// reference is /api/health on the same server, the floor of any request, timed between them.
// Several of these took 40–550 ms before the planner had statistics and the indexes they walk
// (see src/db/statistics.ts); on a Raspberry Pi everything here is ~5× slower.
import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fromSource, removeDir, start, tempDir, waitForHealth } from '../../tests/helpers/server.ts'
import { against, emit, median, type Result, result } from './lib.ts'
import { createCatalog, rng } from './search-catalog.ts'

const RUNS = 20
const PLAYS_PER_LISTENER = 30_000
const log = (msg: string) => process.stderr.write(`browse bench: ${msg}\n`)

const dir = tempDir('tonearm-browse-bench-')
const music = join(dir, 'music')
mkdirSync(music)
log('building the synthetic catalog')
await createCatalog(dir)
{
  // The catalog is inserted, not scanned: point its folder at a real (empty) directory, which the
  // scanner leaves alone because it held tracks, and settle the artists' counts a scan would.
  const db = new Database(join(dir, 'tonearm.db'))
  db.run('UPDATE music_folders SET path = ? WHERE id = 1', [music])
  db.run(`UPDATE artists SET
    album_count = (SELECT count(*) FROM album_artists aa WHERE aa.artist_id = artists.id),
    track_count = (SELECT count(*) FROM track_artists ta WHERE ta.artist_id = artists.id)`)
  db.close()
}

const server = await start(fromSource, ['--data', dir, '--music', music], { admin: true })
await waitForHealth(server.url, (b) => b.components.search?.status === 'ok', 120_000)

// --- A household's listening: each listener plays whole albums from a few favourite genres ---
const random = rng(11)
const db = new Database(join(dir, 'tonearm.db'), { readonly: true })
const albums = db.query('SELECT album_id AS id, genre_id AS genre FROM album_genres').all() as {
  id: number
  genre: number
}[]
const tracksOf = new Map<number, number[]>()
for (const r of db.query('SELECT id, album_id FROM tracks ORDER BY album_id, track_no').all() as {
  id: number
  album_id: number
}[]) {
  const list = tracksOf.get(r.album_id) ?? []
  list.push(r.id)
  tracksOf.set(r.album_id, list)
}
db.close()

async function listener(name: string, genres: number[]): Promise<string> {
  if (name !== 'admin') {
    const made = await server.api('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: name, password: 'browse-bench-password' }),
    })
    if (made.status !== 201) throw new Error(`creating ${name}: ${made.status} ${await made.text()}`)
  }
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: name,
      password: name === 'admin' ? 'test-admin-password' : 'browse-bench-password',
    }),
  })
  const { token } = (await login.json()) as { token: string }
  const favourites = albums.filter((a) => genres.includes(a.genre) && random() < 0.03).slice(0, 60)
  let t = Date.now() - 60 * 86_400_000
  let seq = 0
  let batch: unknown[] = []
  const flush = async () => {
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ source: 'api', events: batch }),
    })
    if (res.status >= 300) throw new Error(`events: ${res.status} ${await res.text()}`)
    batch = []
  }
  for (let plays = 0; plays < PLAYS_PER_LISTENER; ) {
    const album = favourites[Math.floor(random() ** 1.5 * favourites.length)] as { id: number }
    for (const track of tracksOf.get(album.id) ?? []) {
      const id = String(random() < 0.1 ? 1 + Math.floor(random() * 100_000) : track)
      const common = { deviceId: `bench-${name}`, trackId: id }
      batch.push({ type: 'play_started', eventId: `browse-${name}-${seq++}`, clientTime: t, ...common })
      t += 200_000
      batch.push({
        type: 'play_ended',
        eventId: `browse-${name}-${seq++}`,
        clientTime: t,
        heardMs: 190_000,
        ...common,
      })
      plays++
      if (batch.length >= 500) await flush()
    }
    t = Math.round(t + 3 * 3_600_000 * random())
    if (t > Date.now() - 60_000) t = Math.round(Date.now() - 60 * 86_400_000 + random() * 86_400_000)
  }
  if (batch.length > 0) await flush()
  return token
}

log('posting the household listening')
const token = await listener('admin', [1, 2, 3])
await listener('ben', [3, 4])
await listener('cleo', [5, 6, 7])
for (let i = 0; i < 600; i++) {
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  const lags = [...metrics.matchAll(/^tonearm_events_consumer_lag\{[^}]*\} (\d+)$/gm)].map((m) =>
    Number(m[1]),
  )
  if (lags.length > 0 && lags.every((n) => n === 0)) break
  await Bun.sleep(200)
}

// --- The calls ----------------------------------------------------------------------------------
const subsonic = await (
  await server.api('/api/me/subsonic-password', { method: 'POST', headers: { origin: server.url } })
).json()
const ss = `u=admin&p=${(subsonic as { password: string }).password}&v=1.16.1&c=bench&f=json`
const topTrack = (
  (await (await server.api('/api/stats/top?period=year&kind=track')).json()) as {
    items: { id: number | string }[]
  }
).items[0]?.id
const CALLS: [string, string][] = [
  ['artists, first page', '/api/artists?limit=50'],
  ['albums by name', '/api/albums?limit=50'],
  ['albums by year', '/api/albums?limit=50&sort=year'],
  ['albums most played', '/api/albums?limit=50&sort=played'],
  ['albums of a genre', '/api/albums?limit=50&genre=Rock'],
  ['tracks by name', '/api/tracks?limit=50'],
  ['tracks of a genre', '/api/tracks?limit=50&genre=Rock'],
  ['genres', '/api/genres'],
  ['album detail', '/api/albums/101'],
  ['artist detail', '/api/artists/7'],
  ['search "love"', '/api/search?q=love'],
  ['mixes (home page)', '/api/mixes'],
  ['radio from a track', `/api/radio?trackId=${topTrack}`],
  ['similar tracks', `/api/tracks/${topTrack}/similar`],
  ['top tracks of the year', '/api/stats/top?period=year'],
  ['Subsonic getIndexes', `/rest/getIndexes?${ss}`],
  ['Subsonic getGenres', `/rest/getGenres?${ss}`],
  ['Subsonic getAlbumList2 newest', `/rest/getAlbumList2?type=newest&size=50&${ss}`],
  ['Subsonic getAlbumList2 frequent', `/rest/getAlbumList2?type=frequent&size=50&${ss}`],
  ['Subsonic getRandomSongs', `/rest/getRandomSongs?size=50&${ss}`],
  [
    'Subsonic search3, 500 songs (sync)',
    `/rest/search3?query=&songCount=500&albumCount=0&artistCount=0&${ss}`,
  ],
  ['/metrics', '/metrics'],
]
const auth = { authorization: `Bearer ${token}` }
async function timed(path: string): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(`${server.url}${path}`, { headers: auth })
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
  return performance.now() - t0
}

const results: Result[] = []
for (const [name, path] of CALLS) {
  // The first call pays for what the server then keeps (the genres' counts until the next scan).
  const first = await timed(path)
  const samples: number[] = []
  const health: number[] = []
  for (let i = 0; i < RUNS; i++) {
    samples.push(await timed(path))
    health.push(await timed('/api/health'))
  }
  log(
    `${name}: ${median(samples).toFixed(1)} ms, first ${first.toFixed(1)} ms (health ${median(health).toFixed(2)} ms)`,
  )
  const note = `first call ${first.toFixed(1)} ms`
  results.push(
    against(result(`${name}, 100k tracks`, 'ms', samples, { note }), result('/api/health', 'ms', health)),
  )
}
await server.stop()
removeDir(dir)
emit(results)
