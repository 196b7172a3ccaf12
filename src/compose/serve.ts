// `tonearm serve`: wires config → lock → database → domains → HTTP, then the background work
// (audio engine, demo library, first scan, watcher), and takes it all down again on a signal.
import { join } from 'node:path'
import type { Registry } from 'prom-client'
import { createApp } from '../api/app.ts'
import { createMetrics } from '../api/metrics.ts'
import { registerScanMetrics } from '../api/scan-metrics.ts'
import { socketTransport } from '../api/ws/sockets.ts'
import {
  type AudioEngine,
  type AudioService,
  createAudioEngine,
  createAudioService,
  type LibraryWork,
} from '../audio/index.ts'
import { type LibraryWatcher, listMusicFolders, syncMusicFolders } from '../catalog/index.ts'
import { type Config, checkConfig, describeConfig, type loadConfig } from '../config/index.ts'
import { acquireServerLock, openDatabase, type Sqlite } from '../db/index.ts'
import { generateDemoLibrary } from '../demo/index.ts'
import { createDevices, createHub, type LiveTopics } from '../devices/index.ts'
import { createEvents } from '../events/index.ts'
import { DomainError } from '../lib/errors.ts'
import { createLogger, flushed, type Logger } from '../lib/logger.ts'
import { createStatusBoard, type StatusBoard } from '../lib/status.ts'
import { serveHttp } from '../platform/serve.ts'
import { createPlaylistSearch, createSearch } from '../search/index.ts'
import { openStreaming } from '../stream/index.ts'
import { VERSION } from '../version.ts'
import { loadWebAssets } from '../webapp/index.ts'

import {
  audioOptions,
  demoDir,
  deviceEventsInto,
  engineOptions,
  openAccounts,
  openCatalog,
  openLibrary,
  openPlaylists,
  openRecommendations,
  openShares,
  publishCatalogChanges,
  startLibraryWork,
} from './parts.ts'

export async function serve(loaded: ReturnType<typeof loadConfig>): Promise<void> {
  const { config } = loaded
  checkConfig(config)
  const logger = createLogger(config.logLevel)
  logger.info({ version: VERSION, config: describeConfig(loaded) }, 'starting')

  const lock = await acquireServerLock(config.data, { port: config.port, host: config.host })
  const status = createStatusBoard()
  const sqlite = await openDatabase(config.data)
  status.set('database', { status: 'ok' })
  const folders = syncMusicFolders(sqlite.db, config.music.length > 0 ? config.music : [demoDir(config)])
  logger.info({ folders: folders.map((f) => ({ id: f.id, path: f.path })) }, 'music folders')

  const accounts = openAccounts(config, sqlite.db)
  // Before listening, so the first-run page can never race the configured admin.
  if (config.adminPassword) {
    const admin = await accounts.setup.adminFromEnvironment(config.adminUser, config.adminPassword)
    if (admin) logger.info({ user: admin.username }, 'created the first admin from TONEARM_ADMIN_PASSWORD')
  }
  accounts.watch()

  let engine: AudioEngine | undefined
  let audio: AudioService | undefined
  let libraryWork: LibraryWork | undefined
  const catalog = openCatalog(config, sqlite, { logger, status, engine: () => engine })
  const metrics = createMetrics()
  registerScanMetrics(metrics.registry, catalog.scanner, catalog.counts)
  // Built after the server listens (health shows its progress); follows the scanner from then on.
  const search = createSearch({
    db: sqlite.db,
    changes: catalog.events,
    logger: logger.child({ domain: 'search' }),
    status,
    registry: metrics.registry,
  })
  const recommendations = openRecommendations(sqlite, catalog, config)
  const events = createEvents({
    db: sqlite.db,
    registry: metrics.registry,
    logger: logger.child({ domain: 'events' }),
    resolveTrack: catalog.listeningTrack,
    keyFile: join(config.data, 'keys', 'scrobble.key'),
    config,
    version: VERSION,
    extraConsumers: [recommendations.consumer],
  })
  // The live-update hub: the devices domain publishes now-playing, the catalog its scans.
  const hub = createHub<LiveTopics>((err) => logger.error({ err }, 'a live-update subscriber failed'))
  publishCatalogChanges(catalog, hub)
  const devices = createDevices({
    db: sqlite.db,
    hub,
    ingestEvents: deviceEventsInto(events),
    onError: (err) => logger.error({ err }, 'devices: delivering to a device failed'),
  })
  const streaming = openStreaming(config.data, {
    audio: () => audio,
    resolveTrack: catalog.playableTrack,
    access: (userId) => accounts.auth.signedUrlPrincipal(userId),
    version: VERSION,
  })
  // Playlists are few: their search index is read whole at start and kept current by each change.
  const playlistSearch = createPlaylistSearch(sqlite.db)
  playlistSearch.load()
  const playlists = openPlaylists(sqlite, catalog, hub, playlistSearch)
  const app = createApp({
    version: VERSION,
    logger,
    metrics,
    status,
    accounts,
    listFolders: () => listMusicFolders(sqlite.db),
    security: config,
    webAssets: await loadWebAssets(),
    events,
    catalog,
    devices,
    streaming,
    search,
    playlistSearch,
    playlists,
    library: openLibrary(sqlite, catalog, events, logger),
    recommend: recommendations.recommender,
    shares: openShares(sqlite, { catalog, playlists, accounts, streaming }),
  })
  let server: Awaited<ReturnType<typeof serveHttp>>
  try {
    server = await serveHttp(app.fetch, {
      port: config.port,
      host: config.host,
      websocket: { ...socketTransport(), onError: (err) => logger.error({ err }, 'device channel failed') },
      onError: (err) => logger.warn({ err }, 'a response failed while it was being sent'),
    })
  } catch (err) {
    devices.close()
    sqlite.close()
    lock.release()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE')
      throw new DomainError('invalid', `invalid setting port: ${config.port} is already in use`)
    if (code === 'EADDRNOTAVAIL')
      throw new DomainError(
        'invalid',
        `invalid setting host: ${config.host} is not an address of this machine`,
      )
    throw err
  }
  lock.update({ port: server.port })
  // Said before "listening", which scripts and tests wait for, so it is never missed.
  if (accounts.setup.needed()) {
    logger.warn(
      { url: `http://${config.host}:${server.port}/setup` },
      'no user exists yet: open /setup from the local network, or run `tonearm user add NAME --admin`',
    )
  }
  events.start()
  void search.start().catch((err) => logger.error({ err }, 'search index build failed'))
  logger.info(
    { port: server.port, host: config.host, url: `http://${config.host}:${server.port}/` },
    'listening',
  )

  let stopping = false
  let watcher: LibraryWatcher | undefined
  const audioReady = startAudio(config, logger, status, { sqlite, registry: metrics.registry }).then(
    (started) => {
      engine = started?.engine
      audio = started?.audio
      if (audio && !stopping)
        libraryWork = startLibraryWork(config, {
          audio,
          catalog,
          registry: metrics.registry,
          status,
          logger,
        })
    },
  )
  // Configured folders are scanned at once; the demo library only once it has been generated.
  const library = (config.music.length > 0 ? Promise.resolve() : audioReady).then(() => {
    if (stopping) return
    // Watching first: what changes during the first scan is queued for the next one.
    watcher = catalog.watch()
    void catalog.scanner.scan({ full: false, trigger: 'startup' })
  })
  const background = Promise.all([audioReady, library])

  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish within 10 s; closing anyway')
      void flushed(logger).then(() => process.exit(1))
    }, 10_000)
    // Consumers finish their current step (each is one transaction) and live event streams end,
    // so the open streams do not hold up the server's stop.
    await events.stop()
    await server.stop()
    // Engine start-up or demo generation may still be running (WASM compiles slowly on a Pi):
    // give them a moment, then leave them — the demo generator's marker is written last, so an
    // interrupted generation is simply redone at the next start.
    await Promise.race([background.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))])
    // A scan stops at the next file; what it wrote so far is committed, the rest is redone next time.
    watcher?.close()
    search.stop()
    await catalog.scanner.close()
    libraryWork?.close()
    await audio?.close()
    await engine?.close()
    devices.close()
    accounts.close()
    sqlite.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    sqlite.close()
    lock.release()
    clearTimeout(force)
    logger.info('stopped cleanly')
    await flushed(logger)
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

// The engine and the demo library come up after the server listens, so health answers at once
// and reports their progress instead of the process looking hung for seconds.
async function startAudio(
  config: Config,
  logger: Logger,
  status: StatusBoard,
  deps: { sqlite: Sqlite; registry: Registry },
): Promise<{ engine: AudioEngine; audio: AudioService } | undefined> {
  status.set('audio', { status: 'starting' })
  let engine: AudioEngine
  let audio: AudioService
  try {
    engine = await createAudioEngine(engineOptions(config, logger))
    audio = await createAudioService(audioOptions(config, engine, deps, logger))
  } catch (err) {
    logger.error({ err }, 'audio engine failed to start')
    status.set('audio', { status: 'failed', reason: (err as Error).message })
    return undefined
  }
  status.set('audio', { status: 'ok', engine: engine.kind, version: engine.version })
  if (config.music.length > 0) return { engine, audio }

  const dir = demoDir(config)
  status.set('library', { status: 'working', task: 'generating demo library', dir })
  try {
    const result = await generateDemoLibrary(engine, dir, {
      onProgress: (done, total, file) => {
        status.set('library', { status: 'working', task: 'generating demo library', dir, done, total })
        logger.debug({ done, total, file }, 'demo library')
      },
    })
    logger.info({ dir, files: result.files.length, created: result.created }, 'demo library ready')
    status.set('library', { status: 'ok', demo: true, dir, files: result.files.length })
  } catch (err) {
    logger.error({ err }, 'demo library generation failed')
    status.set('library', { status: 'failed', reason: (err as Error).message })
  }
  return { engine, audio }
}

// The engine gets one worker more than the queue's background concurrency: the express slot that
// lets a user waiting on play start at once while background ladders keep the other workers busy.
