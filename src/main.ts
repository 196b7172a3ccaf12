#!/usr/bin/env bun
// Composition root: turns the command line into configuration and wires the parts together.
// It is the only module that imports from every domain.
import { join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { Registry } from 'prom-client'
import { type Accounts, createAccounts } from './accounts/index.ts'
import { createApp } from './api/app.ts'
import { createMetrics } from './api/metrics.ts'
import { type AudioEngine, type AudioService, createAudioEngine, createAudioService } from './audio/index.ts'
import { listMusicFolders, syncMusicFolders } from './catalog/index.ts'
import { type ParsedArgs, parseCommandLine } from './cli/args.ts'
import { helpText } from './cli/help.ts'
import { runTranscode } from './cli/transcode.ts'
import { runUserCommand, type UserCommandIO } from './cli/user-command.ts'
import { type Config, checkConfig, checkDataDir, describeConfig, loadConfig } from './config/index.ts'
import { acquireServerLock, backup, openDatabase, type Sqlite } from './db/index.ts'
import { generateDemoLibrary } from './demo/index.ts'
import { createEvents, noCatalog } from './events/index.ts'
import { DomainError } from './lib/errors.ts'
import { loadOrCreateKey } from './lib/keys.ts'
import { createLogger, type Logger } from './lib/logger.ts'
import { createStatusBoard, type StatusBoard } from './lib/status.ts'
import { serveHttp } from './platform/serve.ts'
import { openStreaming } from './stream/index.ts'
import { VERSION } from './version.ts'
import { loadWebAssets } from './webapp/index.ts'

async function serve(loaded: ReturnType<typeof loadConfig>): Promise<void> {
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

  const metrics = createMetrics()
  const events = createEvents({
    db: sqlite.db,
    registry: metrics.registry,
    logger: logger.child({ domain: 'events' }),
    // The catalog (another branch) provides durations, albums and artists; until it is wired
    // in, every track is unknown to the listening statistics.
    resolveTrack: noCatalog,
    keyFile: join(config.data, 'keys', 'scrobble.key'),
    config,
    version: VERSION,
  })
  let engine: AudioEngine | undefined
  let audio: AudioService | undefined
  const streaming = openStreaming(config.data, {
    audio: () => audio,
    // The catalog (another branch) resolves track ids to files and folders; until it is wired in,
    // every track id is unknown.
    resolveTrack: () => null,
    access: (userId) => accounts.auth.signedUrlPrincipal(userId),
    version: VERSION,
  })
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
    streaming,
  })
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
  // Said before "listening", which scripts and tests wait for, so it is never missed.
  if (accounts.setup.needed()) {
    logger.warn(
      { url: `http://${config.host}:${server.port}/setup` },
      'no user exists yet: open /setup from the local network, or run `tonearm user add NAME --admin`',
    )
  }
  events.start()
  logger.info(
    { port: server.port, host: config.host, url: `http://${config.host}:${server.port}/` },
    'listening',
  )

  const background = startAudio(config, logger, status, { sqlite, registry: metrics.registry }).then(
    (started) => {
      engine = started?.engine
      audio = started?.audio
    },
  )

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: finishing in-flight requests')
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish within 10 s; closing anyway')
      process.exit(1)
    }, 10_000)
    // Consumers finish their current step (each is one transaction) and live event streams end,
    // so the open streams do not hold up the server's stop.
    await events.stop()
    await server.stop()
    // Engine start-up or demo generation may still be running (WASM compiles slowly on a Pi):
    // give them a moment, then leave them — the demo generator's marker is written last, so an
    // interrupted generation is simply redone at the next start.
    await Promise.race([background.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))])
    await audio?.close()
    await engine?.close()
    accounts.close()
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
const engineOptions = (config: Config, logger: Logger) => ({
  engine: config.engine,
  ffmpegPath: config.ffmpegPath || undefined,
  workers: config.audioWorkers + 1,
  logger,
})

const audioOptions = (
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
  gain: { targetLufs: config.loudnessTarget, peakCeilingDbtp: -1 },
  logger,
})

async function transcode(config: Config, paths: string[]): Promise<void> {
  checkDataDir(config.data)
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel)
  const sqlite = await openDatabase(config.data)
  const engine = await createAudioEngine(engineOptions(config, logger))
  const audio = await createAudioService(
    audioOptions(config, engine, { sqlite, registry: new Registry() }, logger),
  )
  process.stdout.write(`tonearm transcode: ${engine.version}, ladder ${config.ladder.join('/')} kbps\n`)
  try {
    const summary = await runTranscode({ paths, audio, out: process.stdout })
    if (summary.failed > 0) process.exitCode = 1
  } finally {
    await audio.close()
    await engine.close()
    sqlite.close()
  }
}

const demoDir = (config: Config) => join(config.data, 'demo-music')

function openAccounts(config: Config, db: Parameters<typeof createAccounts>[0]['db']): Accounts {
  return createAccounts({
    db,
    secretKey: loadOrCreateKey(config.data, 'subsonic'),
    sessionDays: config.sessionDays,
  })
}

// `tonearm user …` opens the database without the server lock, so it works beside a running server.
async function runUser(config: Config, args: ParsedArgs): Promise<void> {
  checkDataDir(config.data)
  const sqlite = await openDatabase(config.data)
  try {
    const accounts = openAccounts(config, sqlite.db)
    await runUserCommand(accounts, args.positionals, args.flags, terminal)
    accounts.close()
  } finally {
    sqlite.close()
  }
}

const terminal: UserCommandIO = {
  async readStdin() {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
  async promptLine(question) {
    if (!process.stdin.isTTY) return null
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return await rl.question(question)
    } finally {
      rl.close()
    }
  },
  out: (line) => void process.stdout.write(`${line}\n`),
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
  if (args.command === 'user') return runUser(loaded.config, args)
  if (args.command === 'transcode') return transcode(loaded.config, args.positionals)
  if (args.positionals.length > 0)
    throw new DomainError('invalid', `unexpected argument "${args.positionals[0]}"`)
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
