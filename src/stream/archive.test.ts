import { expect, test } from 'bun:test'
import { entryNames, safeName } from './archive.ts'

const song = (id: number, title: string, o: { disc?: number; track?: number; file?: string } = {}) => ({
  id,
  file: o.file ?? `${id}.flac`,
  title,
  artist: 'Ann',
  albumArtist: 'Ann',
  album: 'Alb',
  trackNo: o.track ?? id,
  discNo: o.disc ?? null,
})

test('names cannot climb out of the archive or upset a file system', () => {
  expect(safeName('../../etc/passwd')).toBe('_.._etc_passwd')
  expect(safeName('a:b*c?"d<e>f|g\\h\u0001')).toBe('a_b_c__d_e_f_g_h_')
  expect(safeName('...')).toBe('_')
  expect(safeName(' Title. ')).toBe('Title')
})

test('an album gets disc folders only with several discs, and repeated names are numbered', () => {
  const one = entryNames({
    name: 'Ann - Alb',
    kind: 'album',
    songs: [song(1, 'X'), song(2, 'X', { track: 1 })],
  })
  expect(one).toEqual(['Ann - Alb/01 - X.flac', 'Ann - Alb/01 - X (2).flac'])
  const two = entryNames({
    name: 'Ann - Alb',
    kind: 'album',
    songs: [song(1, 'A', { disc: 1, track: 1 }), song(2, 'B', { disc: 2, track: 1, file: 'b.MP3' })],
  })
  expect(two).toEqual(['Ann - Alb/Disc 1/01 - A.flac', 'Ann - Alb/Disc 2/01 - B.mp3'])
})

test('a list is numbered in its own order with the artist in each name', () => {
  const names = entryNames({ name: 'Mix/Tape', kind: 'list', songs: [song(7, 'Z'), song(3, 'Y')] })
  expect(names).toEqual(['Mix_Tape/01 - Ann - Z.flac', 'Mix_Tape/02 - Ann - Y.flac'])
})

test('a tree keeps each file’s own name and subfolder, made safe, and numbers repeats', () => {
  const at = (path: string) => ({ ...song(1, 'T'), path })
  const names = entryNames({
    name: 'Artist',
    kind: 'tree',
    songs: [at('2019 - A/01 x.flac'), at('..hidden/b:c.FLAC'), at('2019 - A/01 x.flac')],
  })
  expect(names).toEqual([
    'Artist/2019 - A/01 x.flac',
    'Artist/hidden/b_c.flac',
    'Artist/2019 - A/01 x (2).flac',
  ])
})
