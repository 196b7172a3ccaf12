#!/usr/bin/env bun
import { choosesWasm } from './audio/engine/locate.ts'
// Composition root: turns the command line into configuration and hands it to the command.
// src/compose/ wires the parts; it and this file are the only modules that import every domain.
import { parseCommandLine } from './cli/args.ts'
import { helpText } from './cli/help.ts'
import { relaunchForCommand } from './compose/jsc-launch.ts'
import { loadConfig } from './config/index.ts'
import { DomainError } from './lib/errors.ts'
import { VERSION } from './version.ts'

async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(argv)
  if (args.command === 'version') return void console.log(VERSION)
  if (args.command === 'help') return void process.stdout.write(helpText())
  const loaded = loadConfig({ flags: args.flags, env: process.env })
  // Before anything else is loaded, so the copy it may become does not load it twice.
  relaunchForCommand(args.command, () => choosesWasm(loaded.config.engine, loaded.config.ffmpegPath))
  // Loaded only now, so a command that relaunches itself has not loaded them for nothing.
  const commands = () => import('./compose/commands.ts')
  if (args.command === 'backup') return (await commands()).runBackup(loaded.config, args.positionals[0])
  if (args.command === 'user') return (await commands()).runUser(loaded.config, args)
  if (args.command === 'transcode') return (await commands()).transcode(loaded.config, args)
  if (args.positionals.length > 0)
    throw new DomainError('invalid', `unexpected argument "${args.positionals[0]}"`)
  if (args.command === 'scan')
    return (await commands()).runScanCommand(loaded.config, args.flags.full === true)
  // The HTTP stack, audio engine and the rest are loaded only to serve: `tonearm scan` and
  // `tonearm backup` run beside a server, often on a small board, and are smaller without them.
  const { serve } = await import('./compose/serve.ts')
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
