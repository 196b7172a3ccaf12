import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { type DemoCatalog, demoCatalog } from '../../../tests/helpers/catalog.ts'
import { DomainError } from '../../lib/errors.ts'
import { listMusicFolders } from '../folders.ts'

// The offset lists, bulk songs and on-disk directories that player APIs (Subsonic) browse with.

let cat: DemoCatalog
let folder: number

beforeAll(async () => {
  cat = await demoCatalog()
  await cat.rescan()
  folder = listMusicFolders(cat.sqlite.db)[0]?.id ?? 0
}, 120_000)
afterAll(() => cat.close())

const kindOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err instanceof DomainError ? err.kind : 'other'
  }
  return 'none'
}

describe('directories', () => {
  it('lists the top directories of a folder by name, and one level at a time below', () => {
    const root = cat.catalog.getDirectory(folder, '')
    expect(root.parent).toBeNull()
    expect(root.subdirectories.map((d) => d.name)).toEqual([
      'Ångström Collective',
      'Café Aurora',
      'Various Artists',
      'Yūki Hoshino',
    ])
    const artist = cat.catalog.getDirectory(folder, 'Café Aurora')
    expect(artist.parent).toBe('')
    expect(artist.subdirectories).toEqual([
      {
        dir: 'Café Aurora/2019 - Lumière du Soir',
        name: '2019 - Lumière du Soir',
        coverId: expect.any(String),
      },
    ])
    const album = cat.catalog.getDirectory(folder, 'Café Aurora/2019 - Lumière du Soir')
    expect(album.parent).toBe('Café Aurora')
    expect(album.subdirectories).toEqual([])
  })

  it('gives each directory its own image, else the cover of a track at any depth below it', () => {
    const images = cat.sqlite.db.all<{ dir: string; cover_id: string }>(
      sql`SELECT dir, cover_id FROM dir_images WHERE folder_id = ${folder} AND dir <> ''`,
    )
    expect(images.length).toBeGreaterThan(0)
    for (const image of images) {
      const cut = image.dir.lastIndexOf('/')
      const parent = cat.catalog.getDirectory(folder, cut < 0 ? '' : image.dir.slice(0, cut))
      expect(parent.subdirectories.find((d) => d.dir === image.dir)?.coverId).toBe(image.cover_id)
    }
    // An index of names (Subsonic's getIndexes) asks for none, and gets the same directories.
    const names = cat.catalog.getDirectory(folder, '', { covers: false }).subdirectories
    expect(names.map((d) => d.dir)).toEqual(
      cat.catalog.getDirectory(folder, '').subdirectories.map((d) => d.dir),
    )
    expect(names.every((d) => d.coverId === null)).toBe(true)
    // Artist directories hold no image of their own: their albums' covers stand for them.
    const root = cat.catalog.getDirectory(folder, '')
    for (const d of root.subdirectories) {
      expect(images.some((i) => i.dir === d.dir)).toBe(false)
      expect(d.coverId).toEqual(expect.any(String))
    }
  })

  it('does not mistake a sibling that shares a prefix for a subdirectory, and hides what is not granted', () => {
    expect(kindOf(() => cat.catalog.getDirectory(folder, 'Café'))).toBe('not_found')
    expect(kindOf(() => cat.catalog.getDirectory(folder, 'Café Aurora', { folderIds: [] }))).toBe('not_found')
    expect(kindOf(() => cat.catalog.getDirectory(folder, 'nowhere'))).toBe('not_found')
  })
})

describe('songs and albums by offset', () => {
  it('lists the songs of a directory in track order, with artists and genres', () => {
    const songs = cat.catalog.listSongs({
      dir: { folderId: folder, dir: 'Café Aurora/2019 - Lumière du Soir' },
      order: 'dir',
    })
    expect(songs.map((s) => s.title)).toEqual(['Rue des Étoiles', 'Crème Brûlée', 'Déjà Vu à Montréal'])
    expect(songs[0]?.artists.map((a) => a.name)).toEqual(['Café Aurora'])
    expect(songs[0]?.genres).toEqual(['Jazz'])
    expect(songs[0]?.size).toBeGreaterThan(1000)
  })

  it('draws random songs from those the filters allow, each once', () => {
    const jazz = cat.catalog.listSongs({ genre: 'jazz', order: 'name' }).map((s) => s.id)
    expect(jazz.length).toBeGreaterThan(2)
    const all = cat.catalog.listSongs({ genre: 'jazz', order: 'random' }).map((s) => s.id)
    expect([...all].sort((a, b) => a - b)).toEqual([...jazz].sort((a, b) => a - b))
    const some = cat.catalog.listSongs({ genre: 'jazz', order: 'random', limit: 2 }).map((s) => s.id)
    expect(some).toHaveLength(2)
    expect(new Set(some).size).toBe(2)
    expect(some.every((id) => jazz.includes(id))).toBe(true)
    expect(cat.catalog.listSongs({ genre: 'jazz', order: 'random', folderIds: [] })).toEqual([])
  })

  it('answers ids in the order asked, and pages by offset', () => {
    const all = cat.catalog.listSongs({ order: 'name' })
    const picked = [all[3]?.id, all[0]?.id, all[2]?.id] as number[]
    expect(cat.catalog.listSongs({ ids: picked }).map((s) => s.id)).toEqual(picked)
    expect(cat.catalog.listSongs({ order: 'name', offset: 2, limit: 2 }).map((s) => s.id)).toEqual(
      all.slice(2, 4).map((s) => s.id),
    )
    expect(kindOf(() => cat.catalog.listSongs({ limit: 501 }))).toBe('invalid')
    expect(kindOf(() => cat.catalog.listSongs({ offset: -1 }))).toBe('invalid')
  })

  it('orders albums by name, artist, year either way, and keeps a given id order', () => {
    const byName = cat.catalog.listAlbumsAt({ order: 'name', limit: 50 }).map((a) => a.name)
    expect(byName).toEqual(['Lumière du Soir', 'Polar Drift', 'Tonearm Sampler, Vol. 1', '夜明けの音'])
    const years = cat.catalog.listAlbumsAt({ order: 'yearDesc', limit: 50 }).map((a) => a.year)
    expect(years).toEqual([...years].sort((a, b) => (b ?? 0) - (a ?? 0)))
    const inRange = cat.catalog.listAlbumsAt({ order: 'yearAsc', yearFrom: 2020, yearTo: 2021, limit: 50 })
    expect(inRange.map((a) => a.year)).toEqual([2020, 2021])
    const ids = cat.catalog
      .listAlbumsAt({ order: 'name', limit: 50 })
      .map((a) => a.id)
      .reverse()
    expect(cat.catalog.listAlbumsAt({ ids, offset: 1, limit: 2 }).map((a) => a.id)).toEqual(ids.slice(1, 3))
    // Pages count only what the caller may see: an unknown id and hidden albums take no place.
    expect(
      cat.catalog.listAlbumsAt({ ids: [999_999, ...ids], offset: 1, limit: 2 }).map((a) => a.id),
    ).toEqual(ids.slice(1, 3))
    expect(cat.catalog.listAlbumsAt({ ids, folderIds: [] })).toEqual([])
  })
})
