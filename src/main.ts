#!/usr/bin/env bun
// Composition root: turns the command line into configuration and wires the parts together.
// It is the only module that imports from every domain.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { AudioEngine } from './audio/index.ts'
import {
  type Catalog,
  createCatalog,
  type LibraryWatcher,
  listMusicFolders,
  syncMusicFolders,
} from './catalog/index.ts'
import { parseCommandLine } from './cli/args.ts'
import { helpText } from './cli/help.ts'
import { createScanReporter } from './cli/scan-progress.ts'
import { type Config, checkConfig, checkDataDir, describeConfig, loadConfig } from './config/index.ts'
import type { Sqlite } from './db/index.ts'
import { acquireServerLock, backup, openDatabase } from './db/index.ts'
import { DomainError } from './lib/errors.ts'
import type { Logger } from './lib/logger.ts'
import { createStatusBoard, type StatusBoard } from './lib/status.ts'
import { VERSION } from './version.ts'

async function serve(loaded: ReturnType<typeof loadConfig>): Promise<void> {
  const { config } = loaded
  checkConfig(config)
  // The HTTP stack, metrics, logger and audio engine are loaded only to serve: `tonearm scan`
  // and `tonearm backup` run beside a server, often on a small board, and are ~20 MB smaller
  // without them (measured RSS).
  const [{ createApp }, { createMetrics }, { registerScanMetrics }, { createLogger }, { serveHttp }] =
    await Promise.all([
      import('./api/app.ts'),
      import('./api/metrics.ts'),
      import('./api/scan-metrics.ts'),
      import('./lib/logger.ts'),
      import('./platform/serve.ts'),
    ])
  const logger = createLogger(config.logLevel)
  logger.info({ version: VERSION, config: describeConfig(loaded) }, 'starting')

  const lock = await acquireServerLock(config.data, { port: config.port, host: config.host })
  const status = createStatusBoard()
  const sqlite = await openDatabase(config.data)
  status.set('database', { status: 'ok' })
  const folders = syncMusicFolders(sqlite.db, config.music.length > 0 ? config.music : [demoDir(config)])
  logger.info({ folders: folders.map((f) => ({ id: f.id, path: f.path })) }, 'music folders')

  let engine: AudioEngine | undefined
  const catalog = openCatalog(config, sqlite, { logger, status, engine: () => engine })
  const metrics = createMetrics()
  registerScanMetrics(metrics.registry, catalog.scanner, catalog.counts)
  const app = createApp({ version: VERSION, logger, metrics, status, catalog })
  let server: Awaited<ReturnType<typeof serveHttp>>
  try {
    server = await serveHttp(app.fetch, { port: config.port, host: config.host })
  } catch (err) {
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
  logger.info(
    { port: server.port, host: config.host, url: `http://${config.host}:${server.port}/` },
    'listening',
  )

  let stopping = false
  let watcher: LibraryWatcher | undefined
  const audio = startAudio(config, logger, status).then((e) => {
    engine = e
  })
  // Configured folders are scanned at once; the demo library only once it has been generated.
  const library = (config.music.length > 0 ? Promise.resolve() : audio).then(() => {
    if (stopping) return
    // Watching first: what changes during the first scan is queued for the next one.
    watcher = catalog.watch()
    void catalog.scanner.scan({ full: false, trigger: 'startup' })
  })
  const background = Promise.all([audio, library])

  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish within 10 s; closing anyway')
      process.exit(1)
    }, 10_000)
    await server.stop()
    // Engine start-up or demo generation may still be running (WASM compiles slowly on a Pi):
    // give them a moment, then leave them — the demo generator's marker is written last, so an
    // interrupted generation is simply redone at the next start.
    await Promise.race([background.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))])
    // A scan stops at the next file; what it wrote so far is committed, the rest is redone next time.
    watcher?.close()
    await catalog.scanner.close()
    await engine?.close()
    sqlite.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    sqlite.close()
    lock.release()
    clearTimeout(force)
    logger.info('stopped cleanly')
    logger.flush()
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
): Promise<AudioEngine | undefined> {
  status.set('audio', { status: 'starting' })
  const [{ createAudioEngine }, { generateDemoLibrary }] = await Promise.all([
    import('./audio/index.ts'),
    import('./demo/index.ts'),
  ])
  let engine: AudioEngine
  try {
    engine = await createAudioEngine({
      engine: config.engine,
      ffmpegPath: config.ffmpegPath || undefined,
      workers: config.audioWorkers,
      logger,
    })
  } catch (err) {
    logger.error({ err }, 'audio engine failed to start')
    status.set('audio', { status: 'failed', reason: (err as Error).message })
    return undefined
  }
  status.set('audio', { status: 'ok', engine: engine.kind, version: engine.version })
  if (config.music.length > 0) return engine

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
  return engine
}

const demoDir = (config: Config) => join(config.data, 'demo-music')

function openCatalog(
  config: Config,
  sqlite: Sqlite,
  deps: { logger?: Logger; status?: StatusBoard; engine?: () => AudioEngine | undefined },
): Catalog {
  return createCatalog({
    db: sqlite.db,
    dataDir: config.data,
    folders: () => listMusicFolders(sqlite.db),
    scan: {
      artistSeparators: config.artistSeparators,
      ...(config.scanWorkers > 0 ? { workers: config.scanWorkers } : {}),
    },
    ...deps,
  })
}

// `tonearm scan`: the server's scanner, once, in this process. It takes the scan lock (not the
// server lock), so it runs beside a server on the same data directory and waits for its scan.
async function runScanCommand(config: Config, full: boolean): Promise<void> {
  checkConfig(config)
  const music = config.music.length > 0 ? config.music : [demoDir(config)]
  if (config.music.length === 0 && !existsSync(demoDir(config)))
    throw new DomainError('invalid', 'no music folder to scan: give --music DIR (or set TONEARM_MUSIC)')
  const sqlite = await openDatabase(config.data)
  syncMusicFolders(sqlite.db, music)
  const catalog = openCatalog(config, sqlite, {})
  const reporter = createScanReporter(process.stderr)
  catalog.events.on('scan.waiting', () => reporter.waiting())
  catalog.events.on('scan.started', reporter.progress)
  catalog.events.on('scan.progress', reporter.progress)
  const stop = () => void catalog.scanner.close()
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const summary = await catalog.scanner.scan({ full, trigger: 'cli' })
  sqlite.close()
  process.stdout.write(reporter.finish(summary))
  if (summary.status !== 'done') process.exitCode = 1
}

async function runBackup(config: Config, dest: string | undefined): Promise<void> {
  if (!dest) throw new DomainError('invalid', 'backup needs a destination: tonearm backup DEST --data DIR')
  checkDataDir(config.data)
  const result = await backup(config.data, dest)
  console.log(
    `backed up ${result.files.join(', ')} to ${result.dest} (${(result.bytes / 1e6).toFixed(1)} MB database)`,
  )
}

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv)
  if (args.command === 'version') return void console.log(VERSION)
  if (args.command === 'help') return void process.stdout.write(helpText())
  const loaded = loadConfig({ flags: args.flags, env: process.env })
  if (args.command === 'backup') return runBackup(loaded.config, args.positionals[0])
  if (args.flags.full && args.command !== 'scan')
    throw new DomainError('invalid', '--full only applies to tonearm scan')
  if (args.positionals.length > 0)
    throw new DomainError('invalid', `unexpected argument "${args.positionals[0]}"`)
  if (args.command === 'scan') return runScanCommand(loaded.config, args.flags.full === true)
  return serve(loaded)
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // Configuration and usage problems are one line on stderr, as scripts and service managers expect.
  if (err instanceof DomainError) {
    process.stderr.write(`tonearm: ${err.message}\n`)
    process.exit(2)
  }
  process.stderr.write(`tonearm: ${(err as Error)?.stack ?? String(err)}\n`)
  process.exit(1)
})
