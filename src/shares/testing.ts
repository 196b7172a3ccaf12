// Shared by the shares tests (not shipped code): the real app with catalog, playlists, shares and
// streaming over one SQLite file, a real audio service on the WASM engine, and music folder 1 as
// a real directory, so a seeded album's tracks are files the media routes can serve.
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { Registry } from 'prom-client'
import { testApp } from '../api/testing.ts'
import {
  type AudioEngine,
  type AudioService,
  createAudioEngine,
  createAudioService,
  DEFAULT_GAIN,
} from '../audio/index.ts'
import { makeFixture } from '../audio/testing/fixtures.ts'
import { createCatalog, listMusicFolders } from '../catalog/index.ts'
import { createPlaylists, type Playlists } from '../playlists/index.ts'
import { type SeededAlbum, seedAlbum } from '../playlists/testing.ts'
import { createStreaming, loadMediaKeys } from '../stream/index.ts'
import { createShares, type Shares } from './index.ts'

export async function sharesApp() {
  const engine: AudioEngine = await createAudioEngine({ engine: 'wasm', workers: 1 })
  let audio: AudioService | undefined
  let parts!: { playlists: Playlists; shares: Shares }
  let music = ''
  const t = await testApp({}, (f) => {
    music = join(f.dir, 'music')
    f.sqlite.db.run(sql`UPDATE music_folders SET path = ${music} WHERE id = 1`)
    const catalog = createCatalog({
      db: f.sqlite.db,
      dataDir: f.dir,
      folders: () => listMusicFolders(f.sqlite.db),
    })
    const streaming = createStreaming({
      audio: () => audio,
      resolveTrack: catalog.playableTrack,
      access: (userId) => f.accounts.auth.signedUrlPrincipal(userId),
      keys: loadMediaKeys(f.dir, { graceMs: 7 * 3600_000, now: f.clock.now() }),
      version: 'test',
      now: f.clock.now,
    })
    const playlists = createPlaylists({
      db: f.sqlite.db,
      trackSummaries: catalog.trackSummaries,
      now: f.clock.now,
    })
    const shares = createShares({
      db: f.sqlite.db,
      trackSummaries: catalog.trackSummaries,
      album: catalog.getAlbum,
      playlist: playlists.get,
      rightsOf: (userId) => f.accounts.auth.signedUrlPrincipal(userId),
      play: streaming.play,
      now: f.clock.now,
    })
    parts = { playlists, shares }
    return { catalog, streaming, playlists, shares }
  })
  audio = await createAudioService({
    engine,
    db: t.sqlite.db,
    cacheDir: join(t.dir, 'cache', 'audio'),
    cacheMaxBytes: 100e6,
    registry: new Registry(),
    concurrency: 1,
    timing: { segmentSeconds: 4, firstSegmentSeconds: 2 },
    rungsKbps: [96, 160],
    gain: DEFAULT_GAIN,
  })
  const service = audio
  mkdirSync(music, { recursive: true })
  const sample = await makeFixture(engine, t.dir, 'sample.flac', { seconds: 3 })
  return {
    ...t,
    ...parts,
    db: t.sqlite.db,
    /** An album in folder 1 whose tracks are real 3-second FLAC files; in folder 2, rows only. */
    album(folderId: 1 | 2, artist: string, album: string, titles: string[]): SeededAlbum {
      const seeded = seedAlbum(t.sqlite.db, { folderId, artist, album, titles, seconds: 3 })
      if (folderId === 1) {
        mkdirSync(join(music, artist, album), { recursive: true })
        for (const [i, title] of titles.entries())
          copyFileSync(
            sample,
            join(music, artist, album, `${String(i + 1).padStart(2, '0')} - ${title}.flac`),
          )
      }
      return seeded
    },
    async close() {
      await service.close()
      await engine.close()
      t.close()
    },
  }
}

export type SharesApp = Awaited<ReturnType<typeof sharesApp>>
