// Shared by the recommendation tests (not shipped code): the library test app (catalog, accounts,
// real SQLite) plus the real events pipeline with the co-listen consumer, as the server wires it,
// and a small catalog with genres and years so content similarity has something to compare.
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { Registry } from 'prom-client'
import { createEvents, type EventInput, type Events } from '../events/index.ts'
import { testConfig } from '../events/test-support.ts'
import { createLogger } from '../lib/logger.ts'
import { type LibraryApp, libraryApp, type SeededAlbum, seedAlbum } from '../playlists/testing.ts'
import { coListensConsumer } from './co-listens.ts'
import { createRecommender, type Recommender } from './recommend.ts'

export interface RecommendApp extends Omit<LibraryApp, 'close' | 'events'> {
  /** The listening log with the co-listen consumer. */
  log: Events
  recommender: Recommender
  albums: Record<string, SeededAlbum>
  /** Appends events for a user and waits until every consumer has applied them. */
  send(userId: number, events: EventInput[]): Promise<void>
  /** A track id by title (titles are unique in this catalog). */
  track(title: string): number
  close(): Promise<void>
}

/** An album of a test catalog: one genre and year for all its tracks; titles unique in the catalog. */
export interface CatalogAlbum {
  folderId: number
  artist: string
  album: string
  genre: string
  year: number
  titles: string[]
}

const CATALOG: CatalogAlbum[] = [
  {
    folderId: 1,
    artist: 'Aurora',
    album: 'Night',
    genre: 'Jazz',
    year: 1959,
    titles: ['N1', 'N2', 'N3', 'N4'],
  },
  { folderId: 1, artist: 'Brass', album: 'Horns', genre: 'Jazz', year: 1961, titles: ['H1', 'H2', 'H3'] },
  { folderId: 1, artist: 'Loud', album: 'Riffs', genre: 'Rock', year: 1991, titles: ['R1', 'R2', 'R3'] },
  {
    folderId: 1,
    artist: 'Echo',
    album: 'Waves',
    genre: 'Electronic',
    year: 2004,
    titles: ['W1', 'W2', 'W3'],
  },
  { folderId: 2, artist: 'Secret', album: 'Hidden', genre: 'Jazz', year: 1960, titles: ['S1'] },
]

export async function recommendApp(catalog: readonly CatalogAlbum[] = CATALOG): Promise<RecommendApp> {
  const t = await libraryApp()
  const albums: Record<string, SeededAlbum> = {}
  const titles = new Map<string, number>()
  for (const a of catalog) {
    const seeded = seedAlbum(t.db, a)
    albums[a.album] = seeded
    t.db.run(sql`INSERT INTO genres (name, norm_name) VALUES (${a.genre}, ${a.genre.toLowerCase()})
      ON CONFLICT (norm_name) DO NOTHING`)
    const genre = (
      t.db.all<{ id: number }>(sql`SELECT id FROM genres WHERE name = ${a.genre}`)[0] as { id: number }
    ).id
    for (const [i, id] of seeded.trackIds.entries()) {
      titles.set(a.titles[i] as string, id)
      t.db.run(sql`INSERT INTO track_genres (track_id, genre_id, position) VALUES (${id}, ${genre}, 0)`)
      t.db.run(sql`UPDATE tracks SET year = ${a.year} WHERE id = ${id}`)
    }
  }
  const rule = { minMs: testConfig.playThresholdSeconds * 1000, fraction: testConfig.playThresholdFraction }
  const events = createEvents({
    db: t.db,
    registry: new Registry(),
    logger: createLogger('silent'),
    resolveTrack: t.catalog.listeningTrack,
    keyFile: join(t.dir, 'keys', 'scrobble.key'),
    config: testConfig,
    version: 'test',
    runner: { pollMs: 20 },
    extraConsumers: [coListensConsumer({ db: t.db, resolveTrack: t.catalog.listeningTrack, rule })],
  })
  events.start()
  const recommender = createRecommender({
    db: t.db,
    trackSummaries: t.catalog.trackSummaries,
    listSongs: t.catalog.listSongs,
  })
  const close = t.close
  return {
    ...t,
    log: events,
    recommender,
    albums,
    async send(userId, batch) {
      const r = events.ingest(userId, batch, 'web')
      await events.reached(r.head)
    },
    track(title) {
      const id = titles.get(title)
      if (id === undefined) throw new Error(`no track ${title}`)
      return id
    },
    async close() {
      await events.stop()
      close()
    },
  }
}
