// The admin commands: each opens the data directory without the server lock, so they work
// beside a running server.
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { Registry } from 'prom-client'
import { createAudioEngine, createAudioService } from '../audio/index.ts'
import { syncMusicFolders } from '../catalog/index.ts'
import type { ParsedArgs } from '../cli/args.ts'
import { createScanReporter } from '../cli/scan-progress.ts'
import { filtersGiven, type Item, libraryFilter, runTranscode, sourcesFromPaths } from '../cli/transcode.ts'
import { runUserCommand, type UserCommandIO } from '../cli/user-command.ts'
import { type Config, checkConfig, checkDataDir } from '../config/index.ts'
import { backup, openDatabase } from '../db/index.ts'
import { DomainError } from '../lib/errors.ts'
import { createLogger } from '../lib/logger.ts'
import { collectGarbage } from '../platform/runtime.ts'

import { audioOptions, demoDir, engineOptions, openAccounts, openCatalog } from './parts.ts'

// `tonearm transcode`: paths, or the scanned library (whole, or filtered). Beside a running
// server the two share the SQLite queue (neither runs a job the other is running) and the cache.
export async function transcode(config: Config, args: ParsedArgs): Promise<void> {
  checkDataDir(config.data)
  const filter = libraryFilter(args.flags)
  const paths = args.positionals
  if (paths.length > 0 && filtersGiven(filter))
    throw new DomainError(
      'invalid',
      'transcode takes paths or library filters (--album, --artist, --recent, --missing), not both',
    )
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel)
  const sqlite = await openDatabase(config.data)
  let items: Item[]
  if (paths.length > 0) items = await sourcesFromPaths(paths)
  else {
    const catalog = openCatalog(config, sqlite, {})
    items = catalog
      .library({ albumId: filter.albumId, artistId: filter.artistId, recent: filter.recent })
      .map((source) => ({ source, label: `track ${source.id}  ${source.path}` }))
    if (items.length === 0) {
      sqlite.close()
      const what = filtersGiven(filter)
        ? 'no tracks match'
        : 'the library has no tracks (run tonearm scan first)'
      throw new DomainError('invalid', `transcode: ${what}`)
    }
  }
  const engine = await createAudioEngine(engineOptions(config, logger))
  const audio = await createAudioService(
    audioOptions(config, engine, { sqlite, registry: new Registry() }, logger),
  )
  process.stdout.write(`tonearm transcode: ${engine.version}, ladder ${config.ladder.join('/')} kbps\n`)
  // Ctrl-C: nothing new starts, the running encodes stop, and their jobs go back to pending for the
  // next run (or a server) to finish; a second Ctrl-C does not wait for the clean stop.
  const interrupt = new AbortController()
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130)
    interrupt.abort()
    void audio.close()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const summary = await runTranscode({
      items,
      audio,
      out: process.stdout,
      noun: paths.length > 0 ? 'files' : 'tracks',
      missingOnly: filter.missing,
      signal: interrupt.signal,
    })
    if (summary.interrupted) process.exitCode = 130
    else if (summary.failed > 0) process.exitCode = 1
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await audio.close()
    await engine.close()
    sqlite.close()
  }
}

// `tonearm user …` opens the database without the server lock, so it works beside a running server.
export async function runUser(config: Config, args: ParsedArgs): Promise<void> {
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

const COLLECT_EVERY_FILES = 2000

// `tonearm scan`: the server's scanner, once, in this process. It takes the scan lock (not the
// server lock), so it runs beside a server on the same data directory and waits for its scan.
export async function runScanCommand(config: Config, full: boolean): Promise<void> {
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
  // JavaScriptCore collects this thread's garbage lazily: over a 20,000-file first scan its heap
  // kept growing (~12 to ~30 MB), and peak RSS with it (137–140 MB against 133–134 with this). A
  // full collection every 2,000 files keeps it flat for a few ms each. (A server's heap is
  // larger, a pause there costs requests, and its scans are mostly small.)
  let collectedAt = 0
  catalog.events.on('scan.progress', (p) => {
    if (p.done - collectedAt < COLLECT_EVERY_FILES) return
    collectedAt = p.done
    collectGarbage()
  })
  const stop = () => void catalog.scanner.close()
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  const summary = await catalog.scanner.scan({ full, trigger: 'cli' })
  sqlite.close()
  process.stdout.write(reporter.finish(summary))
  // 130 as for any command stopped by Ctrl-C, so a script can tell it from a failed scan.
  if (summary.status === 'interrupted') process.exitCode = 130
  else if (summary.status !== 'done') process.exitCode = 1
}

export async function runBackup(config: Config, dest: string | undefined): Promise<void> {
  if (!dest) throw new DomainError('invalid', 'backup needs a destination: tonearm backup DEST --data DIR')
  checkDataDir(config.data)
  const result = await backup(config.data, dest)
  console.log(
    `backed up ${result.files.join(', ')} to ${result.dest} (${(result.bytes / 1e6).toFixed(1)} MB database)`,
  )
}
