import { parseArgs } from 'node:util'
import { type Field, fields } from '../config/fields.ts'
import { invalid } from '../lib/errors.ts'

export const COMMANDS = ['serve', 'backup', 'user', 'scan', 'transcode'] as const
export type Command = (typeof COMMANDS)[number] | 'help' | 'version'

/** Flags that belong to one command only; given to any other command they are a usage error. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  admin: ['user'],
  'password-stdin': ['user'],
  // `tonearm scan --full`: re-read every file, not only changed ones.
  full: ['scan'],
  // `tonearm transcode` over the library: only these tracks, or only those with work left.
  album: ['transcode'],
  artist: ['transcode'],
  recent: ['transcode'],
  missing: ['transcode'],
}
/** Command flags that take a value; the rest are switches. */
const VALUE_FLAGS = new Set(['album', 'artist', 'recent'])

export interface ParsedArgs {
  command: Command
  positionals: string[]
  flags: Record<string, string | string[] | boolean | undefined>
}

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string }

function optionTable(): Record<string, OptionSpec> {
  const table: Record<string, OptionSpec> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  }
  for (const flag of Object.keys(COMMAND_FLAGS))
    table[flag] = { type: VALUE_FLAGS.has(flag) ? 'string' : 'boolean' }
  for (const field of Object.values(fields) as Field<unknown>[]) {
    if (!field.flag) continue
    table[field.flag] =
      typeof field.default === 'boolean'
        ? { type: 'boolean' }
        : { type: 'string', multiple: Array.isArray(field.default) }
  }
  return table
}

// `tonearm [command] [flags]`; serve is the default so `tonearm --music ~/Music` just works.
export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options: optionTable(), allowPositionals: true, strict: true })
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional.*$/s, '')
    throw invalid(`${message} (see tonearm --help)`)
  }
  const { positionals } = parsed
  const values = parsed.values as ParsedArgs['flags']
  if (values.version) return { command: 'version', positionals: [], flags: values }
  if (values.help) return { command: 'help', positionals, flags: values }
  const [first, ...rest] = positionals
  if (first === undefined) return checked({ command: 'serve', positionals: [], flags: values })
  if (first === 'help') return { command: 'help', positionals: rest, flags: values }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw invalid(`unknown command "${first}" (commands: ${COMMANDS.join(', ')}; see tonearm --help)`)
  }
  return checked({ command: first as Command, positionals: rest, flags: values })
}

function checked(args: ParsedArgs): ParsedArgs {
  for (const [flag, commands] of Object.entries(COMMAND_FLAGS)) {
    if (args.flags[flag] !== undefined && !commands.includes(args.command)) {
      throw invalid(`--${flag} only applies to: tonearm ${commands.join(', ')} (see tonearm --help)`)
    }
  }
  return args
}
