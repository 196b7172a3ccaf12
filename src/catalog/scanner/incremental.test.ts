import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { catalogFor, type DemoCatalog, demoCatalog } from '../../../tests/helpers/catalog.ts'
import { retagFlac } from '../../../tests/helpers/tags.ts'
import { playCountsGlobal, trackAnnotations } from '../../db/schema/index.ts'

const JAZZ = 'Café Aurora/2019 - Lumière du Soir'
const AMBIENT = 'Yūki Hoshino/2021 - 夜明けの音'
const ELECTRONIC = 'Ångström Collective/2023 - Polar Drift'
let music: string
let cat: DemoCatalog

const idOf = (title: string) => {
  const t = cat.catalog.listTracks({ limit: 500 }).items.find((x) => x.title === title)
  if (!t) throw new Error(`no track titled ${title}`)
  return t.id
}
const pathOf = (id: number) => cat.catalog.getTrack(id).path
const annotation = (trackId: number) =>
  cat.sqlite.db.all<{ starred_at: number; play_count: number; rating: number }>(
    sql`SELECT starred_at, play_count, rating FROM track_annotations WHERE track_id = ${trackId}`,
  )[0]

beforeAll(async () => {
  cat = await demoCatalog()
  music = cat.music
  await cat.rescan()
}, 120_000)
afterAll(() => cat.close())

describe('rescans', () => {
  it('detect added, changed and removed files', async () => {
    const flac = readFileSync(join(music, JAZZ, '01 - Rue des Étoiles.flac'))
    writeFileSync(
      join(music, JAZZ, '04 - Bonus.flac'),
      retagFlac(flac, [
        ['TITLE', 'Bonus'],
        ['ALBUM', 'Lumière du Soir'],
        ['ALBUMARTIST', 'Café Aurora'],
        ['ARTIST', 'Café Aurora'],
        ['TRACKNUMBER', '4'],
      ]),
    )
    const added = await cat.rescan()
    expect(added).toMatchObject({ added: 1, updated: 0, removed: 0, unchanged: 13 })
    expect(cat.catalog.getAlbum(cat.catalog.getTrack(idOf('Bonus')).albumId).trackCount).toBe(4)

    const bonus = idOf('Bonus')
    writeFileSync(
      join(music, JAZZ, '04 - Bonus.flac'),
      retagFlac(flac, [
        ['TITLE', 'Bonus (edit)'],
        ['ALBUM', 'Lumière du Soir'],
        ['ALBUMARTIST', 'Café Aurora'],
        ['TRACKNUMBER', '4'],
      ]),
    )
    const changed = await cat.rescan()
    expect(changed).toMatchObject({ added: 0, updated: 1, removed: 0 })
    expect(idOf('Bonus (edit)')).toBe(bonus)

    rmSync(join(music, JAZZ, '04 - Bonus.flac'))
    const removed = await cat.rescan()
    expect(removed).toMatchObject({ added: 0, updated: 0, removed: 1 })
    expect(cat.catalog.listTracks({ limit: 500 }).items.some((t) => t.id === bonus)).toBe(false)
    expect(cat.catalog.getAlbum(cat.catalog.getTrack(idOf('Rue des Étoiles')).albumId).trackCount).toBe(3)
  })
})

describe('moves and renames', () => {
  it('keep track ids, stars, ratings and play counts', async () => {
    const ids = {
      rue: idOf('Rue des Étoiles'),
      creme: idOf('Crème Brûlée'),
      asagiri: idOf('朝霧 (Asagiri)'),
      sun: idOf('Midnight Sun'),
    }
    const now = Date.now()
    for (const [i, trackId] of Object.values(ids).entries()) {
      cat.sqlite.db
        .insert(trackAnnotations)
        .values({ trackId, starredAt: now, rating: 4, playCount: 10 + i })
        .run()
      // Play counts as the listening log's plays consumer keeps them: by track id.
      cat.sqlite.db
        .insert(playCountsGlobal)
        .values({ kind: 'track', itemId: String(trackId), plays: 10 + i, heardMs: 60_000 * (10 + i) })
        .run()
    }

    // Rename inside the album, move to another folder with a new name, move a whole album folder,
    // and a move combined with retagging (as taggers that rename by tags do).
    renameSync(join(music, JAZZ, '01 - Rue des Étoiles.flac'), join(music, JAZZ, 'renamed.flac'))
    mkdirSync(join(music, 'Elsewhere', 'Deep'), { recursive: true })
    renameSync(
      join(music, AMBIENT, '01 - 朝霧 (Asagiri).ogg'),
      join(music, 'Elsewhere', 'Deep', 'morning.ogg'),
    )
    renameSync(join(music, ELECTRONIC), join(music, 'Moved Album'))
    const creme = readFileSync(join(music, JAZZ, '02 - Crème Brûlée.flac'))
    rmSync(join(music, JAZZ, '02 - Crème Brûlée.flac'))
    writeFileSync(
      join(music, 'Elsewhere', 'retagged.flac'),
      retagFlac(creme, [
        ['TITLE', 'Crème Brûlée (remaster)'],
        ['ARTIST', 'Café Aurora'],
        ['ALBUM', 'Lumière du Soir'],
        ['ALBUMARTIST', 'Café Aurora'],
      ]),
    )

    const summary = await cat.rescan()
    expect(summary).toMatchObject({ status: 'done', added: 0, problems: 0 })
    expect(pathOf(ids.rue)).toBe(`${JAZZ}/renamed.flac`)
    expect(pathOf(ids.asagiri)).toBe('Elsewhere/Deep/morning.ogg')
    expect(pathOf(ids.sun)).toBe('Moved Album/1-01 - Midnight Sun.mp3')
    expect(pathOf(ids.creme)).toBe('Elsewhere/retagged.flac')
    expect(cat.catalog.getTrack(ids.creme).title).toBe('Crème Brûlée (remaster)')
    for (const [i, trackId] of Object.values(ids).entries()) {
      expect(annotation(trackId)).toEqual({ starred_at: now, rating: 4, play_count: 10 + i })
      expect(cat.catalog.getTrack(trackId).playCount).toBe(10 + i)
    }
    expect(cat.catalog.listTracks({ limit: 500 }).items).toHaveLength(13)
  })

  it('follow content when two files swap names', async () => {
    const a = idOf('Midnight Sun')
    const b = idOf('Fjord Lights')
    const dir = join(music, 'Moved Album')
    renameSync(join(dir, '1-01 - Midnight Sun.mp3'), join(dir, 'swap.tmp'))
    renameSync(join(dir, '1-02 - Fjord Lights.mp3'), join(dir, '1-01 - Midnight Sun.mp3'))
    renameSync(join(dir, 'swap.tmp'), join(dir, '1-02 - Fjord Lights.mp3'))
    await cat.rescan()
    expect(pathOf(a)).toBe('Moved Album/1-02 - Fjord Lights.mp3')
    expect(pathOf(b)).toBe('Moved Album/1-01 - Midnight Sun.mp3')
    expect(idOf('Midnight Sun')).toBe(a)
  })

  it('recognise a file that was gone for a while, with its annotations', async () => {
    const id = idOf('Sakura Drift')
    const path = join(music, AMBIENT, '02 - Sakura Drift.ogg')
    const bytes = readFileSync(path)
    rmSync(path)
    expect((await cat.rescan()).removed).toBe(1)
    expect(cat.catalog.listTracks({ limit: 500 }).items.some((t) => t.id === id)).toBe(false)
    cpSync(join(music, JAZZ, '03 - Déjà Vu à Montréal.flac'), join(music, 'Elsewhere', 'unrelated copy.flac'))
    writeFileSync(join(music, 'Elsewhere', 'back again.ogg'), bytes)
    const back = await cat.rescan()
    expect(back).toMatchObject({ added: 1, removed: 0 })
    expect(pathOf(id)).toBe('Elsewhere/back again.ogg')
    // A copy whose original still exists is a new track, not a move.
    expect(
      cat.catalog.listTracks({ limit: 500 }).items.filter((t) => t.title === 'Déjà Vu à Montréal'),
    ).toHaveLength(2)
  })
})

describe('an unreachable music folder', () => {
  it('keeps its tracks (an unmounted disk is not a deleted library)', async () => {
    const before = cat.catalog.listTracks({ limit: 500 }).items.length
    renameSync(music, `${music}.unmounted`)
    try {
      const summary = await cat.rescan()
      expect(summary).toMatchObject({ status: 'done', removed: 0, unreachable: [music] })
      expect(cat.catalog.listTracks({ limit: 500 }).items.length).toBe(before)
    } finally {
      renameSync(`${music}.unmounted`, music)
    }
    expect(await cat.rescan()).toMatchObject({ added: 0, removed: 0, unreachable: [] })
  })

  it('keeps them when it is an empty directory too (the mount point of a disk not mounted)', async () => {
    const before = cat.catalog.listTracks({ limit: 500 }).items.map((t) => t.id)
    renameSync(music, `${music}.unmounted`)
    mkdirSync(music)
    try {
      const summary = await cat.rescan()
      expect(summary).toMatchObject({ status: 'done', removed: 0, unreachable: [music] })
      expect(cat.catalog.listTracks({ limit: 500 }).items.map((t) => t.id)).toEqual(before)
    } finally {
      rmSync(music, { recursive: true })
      renameSync(`${music}.unmounted`, music)
    }
    expect(await cat.rescan()).toMatchObject({ added: 0, removed: 0, unreachable: [] })
  })

  it('still scans an empty folder that never held tracks', async () => {
    const empty = join(music, '..', 'empty-folder')
    mkdirSync(empty)
    const other = await catalogFor([empty])
    try {
      expect(await other.rescan()).toMatchObject({ status: 'done', added: 0, unreachable: [] })
    } finally {
      await other.close()
    }
  })
})
