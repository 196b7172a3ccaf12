import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { catalogFor } from '../../tests/helpers/catalog.ts'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { createEvents, type Events } from '../events/index.ts'
import { listen, testConfig } from '../events/test-support.ts'
import { createLogger } from '../lib/logger.ts'
import { createSearch, type Search } from './index.ts'
import { LIBRARY, writeLibrary } from './test-support.ts'

// The index follows the scanner's changes without a rebuild, and ranks by what is played:
// plays go through the real events pipeline into the tables search reads.

let root: string
let cat: Awaited<ReturnType<typeof catalogFor>>
let search: Search
let events: Events

beforeAll(async () => {
  root = tempDir('tonearm-search-updates-')
  await writeLibrary(join(root, 'music'), LIBRARY)
  cat = await catalogFor([join(root, 'music')])
  await cat.rescan()
  search = createSearch({ db: cat.sqlite.db, changes: cat.catalog.events })
  await search.start()
  events = createEvents({
    db: cat.sqlite.db,
    registry: new Registry(),
    logger: createLogger('silent'),
    resolveTrack: cat.catalog.listeningTrack,
    keyFile: join(root, 'scrobble.key'),
    config: testConfig,
    version: 'test',
    runner: { pollMs: 20, backoffBaseMs: 10, backoffMaxMs: 50 },
  })
  events.start()
}, 120_000)
afterAll(async () => {
  search.stop()
  await events.stop()
  await cat.close()
  removeDir(root)
})

const tracks = (q: string, userId?: number) =>
  search
    .find('track', q, { offset: 0, limit: 20, ...(userId === undefined ? {} : { userId }) })
    .ids.map((id) => {
      const t = cat.catalog.getTrack(id)
      return `${t.artist} – ${t.title}`
    })
const artists = (q: string) =>
  search.find('artist', q, { offset: 0, limit: 20 }).ids.map((id) => cat.catalog.getArtist(id).name)

describe('following the catalog', () => {
  it('finds what a scan added, changed and removed', async () => {
    await writeLibrary(join(root, 'music', 'new'), [
      { artist: 'Nina Simone', album: 'Pastel Blues', title: 'Sinnerman', genre: 'Jazz', year: 1965 },
    ])
    await cat.rescan()
    expect(tracks('sinnerman')).toEqual(['Nina Simone – Sinnerman'])
    expect(artists('nina')).toEqual(['Nina Simone'])
    expect(search.suggest('pastel')[0]).toMatchObject({ kind: 'album', name: 'Pastel Blues' })

    // Retagged: the artist changes; the old name no longer finds anything.
    await writeLibrary(join(root, 'music', 'new'), [
      { artist: 'Nina Simone', album: 'Pastel Blues', title: 'Sinnerman (Live)', genre: 'Jazz', year: 1965 },
    ])
    rmSync(join(root, 'music', 'new', 'Nina Simone', 'Pastel Blues', '01 - Sinnerman.flac'))
    await cat.rescan()
    expect(tracks('sinnerman')).toEqual(['Nina Simone – Sinnerman (Live)'])

    rmSync(join(root, 'music', 'new'), { recursive: true })
    await cat.rescan()
    expect(tracks('sinnerman')).toEqual([])
    expect(artists('nina')).toEqual([])
    expect(search.suggest('pastel')).toEqual([])
    expect(search.find('artist', '', { offset: 0, limit: 100 }).total).toBe(
      cat.catalog.listArtists({ limit: 100 }).items.length,
    )
    // Three rescans that encode fresh audio: seconds each on a loaded 2-core machine.
  }, 60_000)
})

describe('popularity', () => {
  it('lifts what the household plays, and what this user plays more', async () => {
    const id = (artist: string) =>
      String(search.find('track', `yesterday artist:"${artist}"`, { offset: 0, limit: 1 }).ids.at(0))
    const beatles = id('the beatles')
    const cover = id('cover band')
    const plays = (trackId: string, n: number) =>
      Array.from({ length: n }, (_, i) => listen(trackId, 120_000, Date.now() - i * 600_000)).flat()
    await events.ingest(1, plays(beatles, 5), 'api')
    const { head } = await events.ingest(2, plays(cover, 3), 'api')
    await events.reached(head)
    search.refreshPopularity()
    expect(tracks('yesterday')).toEqual(['The Beatles – Yesterday', 'Cover Band – Yesterday'])
    expect(tracks('yesterday', 2)).toEqual(['Cover Band – Yesterday', 'The Beatles – Yesterday'])
    // The popularity never lifts a typo above an exact match.
    expect(tracks('yesterdy')[0]).toBe('The Beatles – Yesterday')
  })
})
