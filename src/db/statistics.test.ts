import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { type DemoCatalog, demoCatalog } from '../../tests/helpers/catalog.ts'
import { analysedTracks, refreshStatistics } from './statistics.ts'

// The planner's statistics, and the catalog's cached counts, follow the library: taken after the
// first scan, again when a scan changes the library by a tenth, not after every small change.

let music: string
let cat: DemoCatalog
const analysedRows = () => analysedTracks(cat.sqlite.db)
const trackCount = () => cat.sqlite.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM tracks`)[0]?.n ?? 0

beforeAll(async () => {
  cat = await demoCatalog()
  music = cat.music
}, 120_000)
afterAll(() => cat.close())

describe('planner statistics', () => {
  it('are taken by the scan that fills an empty library, and not again when nothing changed', async () => {
    expect(refreshStatistics(cat.sqlite.db)).toBe(false) // nothing to analyse yet
    await cat.rescan()
    expect(analysedRows()).toBe(trackCount())
    expect(refreshStatistics(cat.sqlite.db)).toBe(false)
  })

  it('are taken again once the library has grown by a tenth', async () => {
    const before = trackCount()
    expect(cat.catalog.counts().tracks).toBe(before) // counted now, and kept until a scan changes it
    const genreTracks = () => cat.catalog.listGenres().items.reduce((n, g) => n + g.trackCount, 0)
    const genresBefore = genreTracks()
    // Copies of one album under new names: a tenth more tracks or more.
    const album = readdirSync(music, { recursive: true, withFileTypes: true }).find(
      (e) => e.isFile() && /\.(flac|mp3|ogg|m4a)$/.test(e.name),
    )
    if (!album) throw new Error('demo library has no audio')
    const extra = join(music, 'Copies')
    mkdirSync(extra)
    const copies = Math.ceil(before / 10) + 1
    for (let i = 0; i < copies; i++)
      copyFileSync(join(album.parentPath, album.name), join(extra, `${i}-${album.name}`))
    const summary = await cat.rescan()
    expect(summary.added).toBe(copies)
    expect(analysedRows()).toBe(before + copies)
    expect(cat.catalog.counts().tracks).toBe(before + copies)
    expect(genreTracks()).toBeGreaterThan(genresBefore)
  })

  it('are analysed on opening a database that has tracks and no statistics (one from an older version)', () => {
    cat.sqlite.db.run(sql`DROP TABLE sqlite_stat1`)
    expect(refreshStatistics(cat.sqlite.db)).toBe(true)
    expect(analysedRows()).toBe(trackCount())
  })
})
