import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type DemoCatalog, demoCatalog } from '../../../tests/helpers/catalog.ts'
import { removeDir, tempDir } from '../../../tests/helpers/server.ts'
import { retagFlac } from '../../../tests/helpers/tags.ts'

const FLAC = 'Café Aurora/2019 - Lumière du Soir/01 - Rue des Étoiles.flac'
let music: string
let cat: DemoCatalog

beforeAll(async () => {
  cat = await demoCatalog()
  music = cat.music
}, 120_000)
afterAll(() => cat.close())

describe('a first scan of the demo library', () => {
  it('catalogs every track into its albums, artists and genres', async () => {
    const summary = await cat.rescan()
    expect(summary).toMatchObject({ status: 'done', total: 13, added: 13, problems: 0, removed: 0 })
    const albums = cat.catalog.listAlbums({ limit: 50 }).items
    expect(albums.map((a) => [a.name, a.albumArtist, a.trackCount, a.discCount])).toEqual([
      ['Lumière du Soir', 'Café Aurora', 3, 1],
      ['Polar Drift', 'Ångström Collective', 4, 2],
      ['Tonearm Sampler, Vol. 1', 'Various Artists', 3, 1],
      ['夜明けの音', 'Yūki Hoshino', 3, 1],
    ])
    const artists = cat.catalog.listArtists().items.map((a) => [a.name, a.albumCount, a.trackCount])
    // Café Aurora is album artist of one album and track artist on the compilation: one artist.
    expect(artists).toEqual([
      ['Ångström Collective', 1, 5],
      ['Café Aurora', 1, 4],
      ['Various Artists', 1, 0],
      ['Yūki Hoshino', 1, 4],
    ])
    expect(cat.catalog.listGenres().items.map((g) => [g.name, g.albumCount, g.trackCount])).toEqual([
      ['Ambient', 2, 4],
      ['Electronic', 2, 5],
      ['Jazz', 2, 4],
    ])
  })

  it('keeps a compilation and a two-disc album each as one album, tracks in disc order', () => {
    const drift = cat.catalog.listAlbums({ limit: 50 }).items.find((a) => a.name === 'Polar Drift')
    const album = cat.catalog.getAlbum(drift?.id ?? 0)
    expect(album.tracks.map((t) => [t.discNo, t.trackNo, t.title])).toEqual([
      [1, 1, 'Midnight Sun'],
      [1, 2, 'Fjord Lights'],
      [2, 1, 'Øresund Bridge'],
      [2, 2, 'Polar Drift'],
    ])
    const sampler = cat.catalog.listAlbums({ limit: 50 }).items.find((a) => a.compilation)
    expect(new Set(cat.catalog.getAlbum(sampler?.id ?? 0).tracks.map((t) => t.artist)).size).toBe(3)
  })

  it('gives albums the cover.jpg of their folder and tracks their embedded picture', () => {
    for (const album of cat.catalog.listAlbums().items) expect(album.coverId).toMatch(/^[0-9a-f]{32}$/)
    const flac = cat.catalog.listTracks({ limit: 50 }).items.find((t) => t.title === 'Rue des Étoiles')
    const detail = cat.catalog.getTrack(flac?.id ?? 0)
    expect(detail).toMatchObject({
      codec: 'FLAC',
      lossless: true,
      sampleRate: 44100,
      channels: 2,
      path: FLAC,
    })
    expect(detail.duration ?? 0).toBeWithin(5.5, 6.5)
  })

  it('announces the scan as events a live channel can relay', async () => {
    const seen: string[] = []
    const changed: number[] = []
    const off = [
      cat.catalog.events.on('scan.started', () => seen.push('started')),
      cat.catalog.events.on('scan.progress', (p) => seen.push(`progress:${p.phase}`)),
      cat.catalog.events.on('tracks.changed', (c) => changed.push(...c.updated)),
      cat.catalog.events.on('scan.finished', (s) => seen.push(`finished:${s.status}`)),
    ]
    await cat.rescan(true)
    for (const stop of off) stop()
    expect(seen[0]).toBe('started')
    expect(seen).toContain('progress:sweeping')
    expect(seen[seen.length - 1]).toBe('finished:done')
    expect(changed.sort((a, b) => a - b)).toEqual(
      cat.catalog
        .listTracks({ limit: 500 })
        .items.map((t) => t.id)
        .sort((a, b) => a - b),
    )
  })

  it('reads nothing again when nothing changed', async () => {
    const again = await cat.rescan()
    expect(again).toMatchObject({
      status: 'done',
      total: 13,
      unchanged: 13,
      added: 0,
      updated: 0,
      removed: 0,
    })
  })
})

describe('tags', () => {
  it('splits artists on separators, keeps explicit multi-valued ARTISTS, and reads lyrics', async () => {
    const dir = join(music, 'Tagged')
    mkdirSync(dir)
    const flac = readFileSync(join(music, FLAC))
    writeFileSync(
      join(dir, 'split.flac'),
      retagFlac(flac, [
        ['TITLE', 'Split'],
        ['ARTIST', 'The Alpha feat. Beta'],
        ['ALBUM', 'Tagged'],
        ['ALBUMARTIST', 'The Alpha'],
        ['GENRE', 'Rock; Pop'],
        ['REPLAYGAIN_TRACK_GAIN', '-6.5 dB'],
        ['MUSICBRAINZ_TRACKID', '0b2f0d43-0000-4000-8000-000000000001'],
        ['ISRC', 'USRC17607839'],
        ['BPM', '120'],
        ['LYRICS', 'plain words'],
      ]),
    )
    writeFileSync(
      join(dir, 'explicit.flac'),
      retagFlac(flac, [
        ['TITLE', 'Explicit'],
        ['ARTIST', 'Gamma / Delta'],
        ['ARTISTS', 'Gamma / Delta'],
        ['ARTISTS', 'Épsilon'],
        ['ALBUM', 'Tagged'],
        ['ALBUMARTIST', 'the alpha'],
      ]),
    )
    writeFileSync(join(dir, 'explicit.lrc'), '[00:01.00]first line\n[00:02.50]second line\n')
    const summary = await cat.rescan()
    expect(summary).toMatchObject({ added: 2, problems: 0 })
    const tagged = cat.catalog.listAlbums().items.filter((a) => a.name === 'Tagged')
    // "The Alpha" and "the alpha" are one album artist, so one album.
    expect(tagged).toHaveLength(1)
    const tracks = cat.catalog.getAlbum(tagged[0]?.id ?? 0).tracks
    const split = cat.catalog.getTrack(tracks.find((t) => t.title === 'Split')?.id ?? 0)
    // One artist, named as the first file in walk order spells it: explicit.flac's "the alpha"
    // (files are read and written in that order).
    expect(split.artists.map((a) => a.name)).toEqual(['the alpha', 'Beta'])
    expect(split.genres).toEqual(['Rock', 'Pop'])
    expect(split.replayGain.trackGain).toBe(-6.5)
    expect(split).toMatchObject({ isrc: 'USRC17607839', bpm: 120 })
    expect(split.lyrics).toEqual([{ source: 'embedded', synced: false, lang: null, text: 'plain words' }])
    const explicit = cat.catalog.getTrack(tracks.find((t) => t.title === 'Explicit')?.id ?? 0)
    expect(explicit.artists.map((a) => a.name)).toEqual(['Gamma / Delta', 'Épsilon'])
    expect(explicit.lyrics).toEqual([
      { source: 'file', synced: true, lang: null, text: '[00:01.00]first line\n[00:02.50]second line' },
    ])
    const alpha = cat.catalog.listArtists().items.find((a) => a.name === 'the alpha')
    expect(alpha?.sortName).toBe('alpha, the')
  })
})

describe('what the walk skips and follows', () => {
  it('skips hidden entries and folders with .tonearmignore, follows links without loops or escapes', async () => {
    const outside = tempDir('tonearm-outside-')
    cpSync(join(music, FLAC), join(outside, 'outside.flac'))
    const dir = join(music, 'Links')
    mkdirSync(dir)
    symlinkSync(music, join(dir, 'loop'))
    symlinkSync(outside, join(dir, 'escape'))
    symlinkSync(join(outside, 'outside.flac'), join(dir, 'escape.flac'))
    mkdirSync(join(music, '.hidden'))
    cpSync(join(music, FLAC), join(music, '.hidden', 'secret.flac'))
    cpSync(join(music, FLAC), join(dir, '.dotfile.flac'))
    const before = cat.catalog.listTracks({ limit: 500 }).items.length
    const summary = await cat.rescan()
    expect(summary).toMatchObject({ status: 'done', added: 0, problems: 0 })
    expect(cat.catalog.listTracks({ limit: 500 }).items.length).toBe(before)

    writeFileSync(join(music, 'Tagged', '.tonearmignore'), '')
    const ignored = await cat.rescan()
    expect(ignored.removed).toBe(2)
    rmSync(join(music, 'Tagged', '.tonearmignore'))
    const back = await cat.rescan()
    expect(back).toMatchObject({ added: 0, removed: 0 })
    expect(cat.catalog.listTracks({ limit: 500 }).items.length).toBe(before)
    removeDir(outside)
  })
})
