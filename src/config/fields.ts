import { z } from 'zod'
import { DEFAULT_ARTIST_SEPARATORS } from '../catalog/normalize.ts'
import { LOG_LEVELS } from '../lib/logger.ts'

// Every setting as plain data: its flag, its environment variable, how to read it from a string,
// its schema and default. Help text, validation and the start-up printout all come from this table.
export interface Field<T> {
  flag: string
  env: string
  help: string
  schema: z.ZodType<T>
  default: T
  /** How a flag or environment string becomes a value before validation. */
  parse?: (raw: string) => unknown
  secret?: boolean
  /** What the flag takes, for --help (default: DIR for lists, VALUE otherwise). */
  metavar?: string
}

const port = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')

const toNumber = (raw: string) => (raw.trim() === '' ? raw : Number(raw))

export const fields = {
  port: {
    flag: 'port',
    env: 'TONEARM_PORT',
    help: 'HTTP port to listen on (0 picks a free one)',
    schema: port,
    default: 4747,
    parse: toNumber,
  } satisfies Field<number>,
  host: {
    flag: 'host',
    env: 'TONEARM_HOST',
    help: 'address to listen on (0.0.0.0 for the whole LAN)',
    schema: z.string().min(1, 'must not be empty'),
    default: '0.0.0.0',
  } satisfies Field<string>,
  data: {
    flag: 'data',
    env: 'TONEARM_DATA',
    help: 'data directory: database, caches, keys',
    schema: z.string().min(1, 'must not be empty'),
    default: './data',
  } satisfies Field<string>,
  music: {
    flag: 'music',
    env: 'TONEARM_MUSIC',
    help: 'music folder (repeatable; colon-separated in the environment); none means the demo library',
    schema: z.array(z.string().min(1, 'must not contain an empty path')),
    default: [] as string[],
    parse: (raw) => raw.split(':').filter((p) => p !== ''),
  } satisfies Field<string[]>,
  logLevel: {
    flag: 'log-level',
    env: 'TONEARM_LOG_LEVEL',
    help: `log level: ${LOG_LEVELS.join(', ')}`,
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    default: 'info' as (typeof LOG_LEVELS)[number],
  } satisfies Field<(typeof LOG_LEVELS)[number]>,
  engine: {
    flag: 'engine',
    env: 'TONEARM_ENGINE',
    help: 'audio engine: auto (native ffmpeg when found, else the built-in WASM one), wasm, native',
    schema: z.enum(['auto', 'wasm', 'native'], { error: 'must be one of auto, wasm, native' }),
    default: 'auto' as 'auto' | 'wasm' | 'native',
  } satisfies Field<'auto' | 'wasm' | 'native'>,
  ffmpegPath: {
    flag: 'ffmpeg',
    env: 'TONEARM_FFMPEG',
    help: 'path of a native ffmpeg to use instead of searching PATH',
    schema: z.string(),
    default: '',
  } satisfies Field<string>,
  audioWorkers: {
    flag: 'audio-workers',
    env: 'TONEARM_AUDIO_WORKERS',
    help: 'parallel transcodes (default leaves one core for serving)',
    schema: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(32, 'must be at most 32'),
    default: 1,
    parse: toNumber,
  } satisfies Field<number>,
  scanWorkers: {
    flag: 'scan-workers',
    env: 'TONEARM_SCAN_WORKERS',
    help: 'threads that parse files during library scans (0: one per core beyond the first, at most 2; each adds ~30 MB)',
    schema: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(16, 'must be at most 16'),
    default: 0,
    parse: toNumber,
  } satisfies Field<number>,
  artistSeparators: {
    flag: 'artist-separators',
    env: 'TONEARM_ARTIST_SEPARATORS',
    help: 'strings that split one artist tag into several artists (repeatable; a JSON array in the environment); explicit ARTISTS tags are never split',
    schema: z.array(z.string().min(1, 'must not contain an empty separator')),
    default: [...DEFAULT_ARTIST_SEPARATORS] as string[],
    parse: (raw) => (raw.trim().startsWith('[') ? parseJsonList(raw) : [raw]),
    metavar: 'SEP',
  } satisfies Field<string[]>,
} as const

function parseJsonList(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

export type Fields = typeof fields
export type ConfigKey = keyof Fields
export type Config = { [K in ConfigKey]: Fields[K]['default'] }
