import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { catalogFor } from '../../../tests/helpers/catalog.ts'
import { CORPUS, demoLibraryCopy } from '../../../tests/helpers/library.ts'
import { removeDir } from '../../../tests/helpers/server.ts'
import { DomainError } from '../../lib/errors.ts'
import { listMusicFolders } from '../folders.ts'

// Browse queries with per-user folder grants (accounts will pass a user's folder ids).

let music: string
let cat: Awaited<ReturnType<typeof catalogFor>>
let demo: number
let corpus: number

beforeAll(async () => {
  music = await demoLibraryCopy()
  cat = await catalogFor([music, CORPUS])
  await cat.rescan()
  const folders = listMusicFolders(cat.sqlite.db)
  demo = folders.find((f) => f.path === music)?.id ?? 0
  corpus = folders.find((f) => f.path === CORPUS)?.id ?? 0
}, 120_000)
afterAll(async () => {
  await cat.close()
  removeDir(join(music, '..'))
})

const notFound = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err instanceof DomainError && err.kind === 'not_found'
  }
  return false
}

describe('folder grants', () => {
  it('show only what the granted folders hold', () => {
    const all = cat.catalog.listTracks({ limit: 500 }).items.length
    const onlyDemo = cat.catalog.listTracks({ limit: 500, folderIds: [demo] }).items
    expect(onlyDemo).toHaveLength(13)
    expect(cat.catalog.listTracks({ limit: 500, folderIds: [corpus] }).items).toHaveLength(all - 13)
    expect(cat.catalog.listAlbums({ limit: 500, folderIds: [demo] }).items.map((a) => a.name)).toEqual([
      'Lumière du Soir',
      'Polar Drift',
      'Tonearm Sampler, Vol. 1',
      '夜明けの音',
    ])
    expect(cat.catalog.listArtists({ limit: 500, folderIds: [demo] }).items).toHaveLength(4)
    expect(cat.catalog.listGenres({ folderIds: [demo] }).items.map((g) => g.name)).toEqual([
      'Ambient',
      'Electronic',
      'Jazz',
    ])
    expect(cat.catalog.listTracks({ folderIds: [] }).items).toEqual([])
  })

  it('answer not found for an item outside them, as if it did not exist', () => {
    const corpusTrack = cat.catalog.listTracks({ limit: 1, folderIds: [corpus] }).items[0]
    if (!corpusTrack) throw new Error('the corpus has no track')
    expect(notFound(() => cat.catalog.getTrack(corpusTrack.id, [demo]))).toBe(true)
    expect(notFound(() => cat.catalog.getAlbum(corpusTrack.albumId, [demo]))).toBe(true)
    expect(cat.catalog.getTrack(corpusTrack.id, [corpus]).id).toBe(corpusTrack.id)
  })

  it('find an artist by name however it is typed, only within them', () => {
    const id = cat.catalog
      .listArtists({ limit: 500, folderIds: [demo] })
      .items.find((a) => a.name === 'Café Aurora')?.id
    expect(id).toBeNumber()
    for (const typed of ['Café Aurora', 'CAFE AURORA', '  café   aurora ', 'Ｃａｆé Aurora'])
      expect(cat.catalog.findArtistByName(typed, [demo])).toBe(id as number)
    expect(cat.catalog.findArtistByName('Café Aurora', [corpus])).toBeUndefined()
    expect(cat.catalog.findArtistByName('Café Auror', [demo])).toBeUndefined()
  })

  it('rejects cursors that do not belong to the list', () => {
    const page = cat.catalog.listAlbums({ limit: 2, sort: 'year' })
    expect(page.nextCursor).not.toBeNull()
    expect(() => cat.catalog.listAlbums({ limit: 2, sort: 'name', cursor: page.nextCursor ?? '' })).toThrow(
      /cursor/,
    )
  })
})
