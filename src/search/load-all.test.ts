import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { catalogFor } from '../../tests/helpers/catalog.ts'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { loadDocs, SEARCH_KINDS, type SearchDoc } from './documents.ts'
import { loadAll } from './load-all.ts'
import { LIBRARY, PRIVATE_LIBRARY, writeLibrary } from './test-support.ts'

// The start-up build reads the whole catalog in one pass per table; a scan's changes are read by
// the per-kind queries. Both must give the same documents, or an item would change how it is
// found after its first rescan.

let root: string
let cat: Awaited<ReturnType<typeof catalogFor>>

beforeAll(async () => {
  root = tempDir('tonearm-search-load-')
  await writeLibrary(join(root, 'public'), LIBRARY)
  await writeLibrary(join(root, 'private'), PRIVATE_LIBRARY)
  // The same artist and album in a second folder: items living in two folders.
  await writeLibrary(join(root, 'private', 'more'), LIBRARY.slice(0, 2))
  cat = await catalogFor([join(root, 'public'), join(root, 'private')])
  await cat.rescan()
  // A missing file: its track is kept in the catalog but found no more.
  rmSync(join(root, 'public', 'Beyoncé', 'Lemonade'), { recursive: true })
  await cat.rescan()
}, 120_000)
afterAll(async () => {
  await cat.close()
  removeDir(root)
})

/** Lists whose order means nothing (folders, artists, genre words) in one order. */
const normal = (d: SearchDoc) => ({
  ...d,
  text: Object.fromEntries(
    Object.entries(d.text).map(([f, v]) => [f, f === 'genre' ? v.split(' ').sort().join(' ') : v]),
  ),
  folders: [...d.folders].sort(),
  artistIds: [...d.artistIds].sort(),
})
const byId = (docs: SearchDoc[]) => docs.map(normal).sort((a, b) => a.id - b.id)

describe('loading the whole catalog', () => {
  it('gives the documents the per-kind queries give', () => {
    const missing = cat.sqlite.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM tracks WHERE missing_at IS NOT NULL`,
    )
    expect(missing[0]?.n).toBeGreaterThan(0)
    const all = loadAll(cat.sqlite.db)
    for (const kind of SEARCH_KINDS) {
      expect(all[kind].length).toBeGreaterThan(0)
      expect(byId(all[kind])).toEqual(byId(loadDocs(cat.sqlite.db, kind)))
    }
    // Two folders for the album found in both.
    expect(all.album.some((a) => a.folders.length === 2)).toBe(true)
  })
})
