import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { catalogFor } from '../../tests/helpers/catalog.ts'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { listMusicFolders } from '../catalog/index.ts'
import { createSearch, type Search, type SearchKind } from './index.ts'
import { LIBRARY, PRIVATE_LIBRARY, writeLibrary } from './test-support.ts'

// Every matching case of the issue, on a real catalog scanned from generated FLAC files.

let root: string
let cat: Awaited<ReturnType<typeof catalogFor>>
let search: Search
let publicFolder: number
let privateFolder: number

beforeAll(async () => {
  root = tempDir('tonearm-search-')
  await writeLibrary(join(root, 'public'), LIBRARY)
  await writeLibrary(join(root, 'private'), PRIVATE_LIBRARY)
  cat = await catalogFor([join(root, 'public'), join(root, 'private')])
  await cat.rescan()
  const folders = listMusicFolders(cat.sqlite.db)
  publicFolder = folders.find((f) => f.path.endsWith('public'))?.id ?? 0
  privateFolder = folders.find((f) => f.path.endsWith('private'))?.id ?? 0
  search = createSearch({ db: cat.sqlite.db, changes: cat.catalog.events })
  await search.start()
}, 120_000)
afterAll(async () => {
  search.stop()
  await cat.close()
  removeDir(root)
})

const names = (kind: SearchKind, q: string, opts: { folderIds?: number[]; userId?: number } = {}) => {
  const { ids } = search.find(kind, q, { offset: 0, limit: 50, ...opts })
  return ids.map((id) => nameOf(kind, id))
}
function nameOf(kind: SearchKind, id: number): string {
  if (kind === 'artist') return cat.catalog.getArtist(id).name
  if (kind === 'album') return cat.catalog.getAlbum(id).name
  return cat.catalog.getTrack(id).title
}
const first = (kind: SearchKind, q: string) => names(kind, q)[0]

describe('matching', () => {
  it('ignores case and diacritics', () => {
    expect(first('artist', 'beyonce')).toBe('Beyoncé')
    expect(first('artist', 'BEYONCÉ')).toBe('Beyoncé')
  })

  it('tolerates punctuation', () => {
    expect(first('artist', 'rem')).toBe('R.E.M.')
    expect(first('artist', 'r.e.m.')).toBe('R.E.M.')
    expect(first('artist', 'acdc')).toBe('AC/DC')
    expect(first('artist', 'ac/dc')).toBe('AC/DC')
  })

  it('forgives typos in longer words', () => {
    expect(first('artist', 'beatls')).toBe('The Beatles')
    expect(first('track', 'bilyboard')).toBe('Billboard Love')
    // …but not in short ones, where one edit changes the word.
    expect(names('artist', 'bet')).toEqual([])
  })

  it('matches the word being typed as a prefix', () => {
    expect(first('artist', 'beyon')).toBe('Beyoncé')
    expect(first('track', 'killing in the na')).toBe('Killing in the Name')
    expect(names('artist', 'b')).toContain('Beyoncé')
    expect(names('artist', 'ra')).toEqual(['Rage Against the Machine'])
  })

  it('takes words in any order, and a few words of a longer name', () => {
    expect(first('artist', 'machine rage')).toBe('Rage Against the Machine')
    expect(first('artist', 'rage machine')).toBe('Rage Against the Machine')
    expect(first('album', 'automatic people')).toBe('Automatic for the People')
  })

  it('falls back to items with some of the words when none has all', () => {
    expect(names('track', 'formation xylophone')).toEqual(['Formation'])
  })

  it('finds text in scripts without spaces by a fragment', () => {
    expect(first('artist', '宇多田')).toBe('宇多田ヒカル')
    expect(first('artist', 'ヒカル')).toBe('宇多田ヒカル')
    expect(first('artist', '杰伦')).toBe('周杰伦')
    expect(first('track', '晴')).toBe('晴天')
    expect(first('album', '初恋')).toBe('初恋')
  })

  it('searches tracks by their album, artist and genre too', () => {
    expect(names('track', 'lemonade')).toEqual(['Formation'])
    const beatles = names('track', 'beatles')
    expect(beatles.slice(0, 3).sort()).toEqual(['Come Together', 'Something', 'Yesterday'])
    // The Beetles Revival's song comes last: a typo match.
    expect(beatles.slice(3)).toEqual(['Love Me Do'])
  })
})

describe('ranking', () => {
  it('puts exact matches above prefix matches above typos', () => {
    expect(names('artist', 'beat')).toEqual(['Beat Happening', 'The Beatles'])
    expect(names('artist', 'beatles')).toEqual(['The Beatles', 'Beetles Revival'])
  })

  it('puts a title above an album above other fields', () => {
    const abbey = names('track', 'abbey road')
    expect(abbey[0]).toBe('Abbey Road Blues')
    expect(abbey.slice(1).sort()).toEqual(['Come Together', 'Something'])
    // A genre match ranks below a title match of the same word.
    expect(names('track', 'rock')).toHaveLength(6)
  })
})

describe('filters', () => {
  it('narrows by artist, album, genre and years', () => {
    expect(names('track', 'yesterday artist:beatles')).toEqual(['Yesterday'])
    expect(search.find('track', 'yesterday artist:"cover band"', { offset: 0, limit: 5 }).total).toBe(1)
    expect(names('track', 'album:"abbey road"').sort()).toEqual(['Come Together', 'Something'])
    expect(names('album', 'genre:metal')).toEqual(['Rage Against the Machine'])
    expect(names('album', 'year:1990-1999').sort()).toEqual([
      'Automatic for the People',
      'Rage Against the Machine',
      'Top Forty',
    ])
    expect(names('track', 'year:1969 something')).toEqual(['Something'])
    expect(names('artist', 'album:lemonade')).toEqual([])
  })

  it('refuses a year that is not one', () => {
    expect(() => search.find('album', 'year:nineties', { offset: 0, limit: 5 })).toThrow(/year/)
  })
})

describe('the empty query', () => {
  it('pages through every item in name order', () => {
    const all = search.find('artist', '', { offset: 0, limit: 500 })
    const browse = cat.catalog.listArtists({ limit: 500 }).items.map((a) => a.id)
    expect(all.ids).toEqual(browse)
    expect(all.total).toBe(browse.length)
    const page2 = search.find('artist', '', { offset: 2, limit: 2 })
    expect(page2.ids).toEqual(browse.slice(2, 4))
    expect(page2.total).toBe(browse.length)
  })

  it('finds nothing for text without a word', () => {
    expect(search.find('track', '!!! ...', { offset: 0, limit: 5 })).toEqual({ ids: [], total: 0 })
  })
})

describe('grants', () => {
  it('shows only the folders a user may see', () => {
    expect(names('track', 'yesterday', { folderIds: [publicFolder] })).not.toContain('Yesterday Once More')
    expect(names('track', 'yesterday', { folderIds: [privateFolder] })).toEqual(['Yesterday Once More'])
    expect(names('artist', '', { folderIds: [] })).toEqual([])
    expect(search.suggest('secret', { folderIds: [publicFolder] })).toEqual([])
    expect(search.suggest('secret', { folderIds: [privateFolder] })[0]?.name).toBe('Secret Singer')
  })
})

describe('suggestions', () => {
  it('mix artists, albums and tracks in the order a person expects', () => {
    const s = search.suggest('abbey road')
    expect(s.slice(0, 2).map((x) => [x.kind, x.name])).toEqual([
      ['album', 'Abbey Road'],
      ['track', 'Abbey Road Blues'],
    ])
    expect(search.suggest('beatles')[0]).toMatchObject({ kind: 'artist', name: 'The Beatles' })
    expect(search.suggest('yesterday')[0]).toMatchObject({ kind: 'track', name: 'Yesterday' })
    expect(search.suggest('rage')[0]).toMatchObject({ kind: 'artist', name: 'Rage Against the Machine' })
    expect(search.suggest('beatles', { limit: 2 })).toHaveLength(2)
  })
})
