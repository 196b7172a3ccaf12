import { randomUUID } from 'node:crypto'
// The parts every command builds the same way from the configuration.
import { join } from 'node:path'
import type { Registry } from 'prom-client'
import { type Accounts, createAccounts } from '../accounts/index.ts'
import {
  type AudioEngine,
  type AudioService,
  createLibraryWork,
  type LibraryQueries,
} from '../audio/index.ts'
import { type Catalog, createCatalog, listMusicFolders } from '../catalog/index.ts'
import type { Config } from '../config/index.ts'
import type { Sqlite } from '../db/index.ts'
import type { IngestEvents, LiveHub } from '../devices/index.ts'
import { type EventInput, type Events, parseBatch } from '../events/index.ts'
import { loadOrCreateKey } from '../lib/keys.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import { createLibrary, type Library, type TrackFeedback } from '../library/index.ts'
import { createPlaylists, type Playlists } from '../playlists/index.ts'
import { coListensConsumer, createRecommender } from '../recommend/index.ts'
import type { PlaylistSearch } from '../search/index.ts'
import { createShares, type Shares } from '../shares/index.ts'
import type { Streaming } from '../stream/index.ts'

// The engine gets one worker more than the queue's background concurrency: the express slot that
// lets a user waiting on play start at once while background ladders keep the other workers busy.
export const engineOptions = (config: Config, logger: Logger) => ({
  engine: config.engine,
  ffmpegPath: config.ffmpegPath || undefined,
  workers: config.audioWorkers + 1,
  logger,
})

export const audioOptions = (
  config: Config,
  engine: AudioEngine,
  deps: { sqlite: Sqlite; registry: Registry },
  logger: Logger,
) => ({
  engine,
  db: deps.sqlite.db,
  cacheDir: join(config.data, 'cache', 'audio'),
  cacheMaxBytes: config.audioCacheMb * 1024 * 1024,
  registry: deps.registry,
  concurrency: config.audioWorkers,
  timing: { segmentSeconds: config.segmentSeconds, firstSegmentSeconds: config.firstSegmentSeconds },
  rungsKbps: config.ladder,
  gain: gainOptions(config),
  recheckMs: 1000,
  logger,
})

export const demoDir = (config: Config) => join(config.data, 'demo-music')

const gainOptions = (config: Config) => ({ targetLufs: config.loudnessTarget, peakCeilingDbtp: -1 })

export function openAccounts(config: Config, db: Parameters<typeof createAccounts>[0]['db']): Accounts {
  return createAccounts({
    db,
    secretKey: loadOrCreateKey(config.data, 'subsonic'),
    sessionDays: config.sessionDays,
  })
}

export function openCatalog(
  config: Config,
  sqlite: Sqlite,
  deps: { logger?: Logger; status?: StatusBoard; engine?: () => AudioEngine | undefined },
): Catalog {
  return createCatalog({
    db: sqlite.db,
    dataDir: config.data,
    folders: () => listMusicFolders(sqlite.db),
    gain: gainOptions(config),
    scan: {
      artistSeparators: config.artistSeparators,
      ...(config.scanWorkers > 0 ? { workers: config.scanWorkers } : {}),
    },
    ...deps,
  })
}

// The catalog's tracks as the audio domain's sources, for background loudness and ladders.
export const libraryQueries = (catalog: Catalog): LibraryQueries => ({
  unmeasured: (after, limit) =>
    catalog.library({ unmeasured: true, afterId: after === undefined ? undefined : Number(after), limit }),
  recent: (n) => catalog.library({ recent: n }),
  mostPlayed: (n) => catalog.library({ mostPlayed: n }),
  counts: () => catalog.libraryCounts(),
})

// After every scan (the first, and each the watcher triggers): loudness for tracks that lack it and,
// unless turned off, ladders for recent and most played ones, at the lowest priority.
export function startLibraryWork(
  config: Config,
  deps: { audio: AudioService; catalog: Catalog; registry: Registry; status: StatusBoard; logger: Logger },
) {
  const work = createLibraryWork({
    audio: deps.audio,
    library: libraryQueries(deps.catalog),
    eagerLadders: config.ladderWork === 'eager',
    cacheMaxBytes: config.audioCacheMb * 1024 * 1024,
    rungsKbps: config.ladder,
    registry: deps.registry,
    report: (state) => deps.status.set('audioLibrary', state),
    logger: deps.logger.child({ domain: 'audio-library' }),
  })
  deps.catalog.events.on('scan.finished', () => work.schedule())
  work.schedule()
  return work
}

// A device's buffered listening, in the events log's own shape: its id is the event id (so a
// replayed buffer is recognised), its clock time the client time, and the device that delivered
// it is the one that heard it.
export function deviceEventsInto(events: Events): IngestEvents {
  return (userId, batch) => {
    // The same all-or-nothing validation POST /api/events applies, with every bad field named
    // (the batch's client-facing source field only admits web/api; the log records 'device').
    const { events: checked } = parseBatch({
      source: 'api',
      events: batch.map(({ id, at, trackId, ...rest }) => ({
        ...rest,
        eventId: id,
        clientTime: at,
        ...(trackId === undefined ? {} : { trackId: String(trackId) }),
      })),
    })
    return events.ingest(userId, checked, 'device')
  }
}

// Scans and the library changes they make reach every subscribed device as live updates.
export function publishCatalogChanges(catalog: Catalog, hub: LiveHub): void {
  catalog.events.on('scan.progress', (p) =>
    hub.publish('scan', { status: 'running', phase: p.phase, done: p.done, total: p.total }),
  )
  catalog.events.on('scan.finished', (s) => {
    hub.publish('scan', { status: s.status === 'done' ? 'done' : 'failed', done: s.done, total: s.total })
    hub.publish('library', { added: s.added, changed: s.updated, removed: s.removed })
  })
}

// Playlists read track summaries from the catalog and announce their changes on the hub's
// `playlists` topic (to everyone for a public playlist, else to its owner).
export function openPlaylists(
  sqlite: Sqlite,
  catalog: Catalog,
  hub: LiveHub,
  search?: PlaylistSearch,
): Playlists {
  return createPlaylists({
    db: sqlite.db,
    trackSummaries: catalog.trackSummaries,
    publish: (change, audience) => {
      search?.changed(change.playlistId)
      hub.publish('playlists', { ...change }, audience)
    },
  })
}

export function openLibrary(sqlite: Sqlite, catalog: Catalog, events: Events, logger: Logger): Library {
  return createLibrary({
    db: sqlite.db,
    summaries: {
      tracks: catalog.trackSummaries,
      albums: catalog.albumSummaries,
      artists: catalog.artistSummaries,
    },
    // A star is a like and a rating a rate in the listening log, whichever client set them.
    onTrackFeedback: (userId, feedback) => {
      const clientTime = Date.now()
      try {
        events.ingest(
          userId,
          feedback.map((f) => feedbackEvent(f, clientTime)),
          'api',
        )
      } catch (err) {
        logger.warn({ err, userId }, 'a star or rating did not reach the listening log')
      }
    },
  })
}

function feedbackEvent(f: TrackFeedback, clientTime: number): EventInput {
  const common = {
    trackId: String(f.trackId),
    eventId: `library-${randomUUID()}`,
    deviceId: 'library',
    clientTime,
  }
  return 'liked' in f
    ? { type: f.liked ? 'like' : 'unlike', ...common }
    : { type: 'rate', rating: f.rating, ...common }
}

// Shares resolve their items with the owner's current rights and play them with media URLs the
// streaming domain signs for the owner.
export function openShares(
  sqlite: Sqlite,
  deps: { catalog: Catalog; playlists: Playlists; accounts: Accounts; streaming: Streaming },
): Shares {
  return createShares({
    db: sqlite.db,
    trackSummaries: deps.catalog.trackSummaries,
    album: deps.catalog.getAlbum,
    playlist: deps.playlists.get,
    rightsOf: (userId) => deps.accounts.auth.signedUrlPrincipal(userId),
    play: deps.streaming.play,
  })
}

// The recommender reads the co-listen graph the events pipeline builds; both are wired here so the
// consumer's play rule is the one the play counts use.
export function openRecommendations(
  sqlite: Sqlite,
  catalog: Catalog,
  config: Pick<Config, 'playThresholdSeconds' | 'playThresholdFraction'>,
) {
  const rule = { minMs: config.playThresholdSeconds * 1000, fraction: config.playThresholdFraction }
  return {
    consumer: coListensConsumer({ db: sqlite.db, resolveTrack: catalog.listeningTrack, rule }),
    recommender: createRecommender({
      db: sqlite.db,
      trackSummaries: catalog.trackSummaries,
      listSongs: catalog.listSongs,
    }),
  }
}
