import { z } from 'zod'
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
}

const port = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')

const toNumber = (raw: string) => (raw.trim() === '' ? raw : Number(raw))

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), 'must be an http:// or https:// URL')

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
  playThresholdSeconds: {
    flag: 'play-threshold-seconds',
    env: 'TONEARM_PLAY_THRESHOLD_SECONDS',
    help: 'a listen counts as a play once heard this long…',
    schema: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(3600, 'must be at most 3600'),
    default: 30,
    parse: toNumber,
  } satisfies Field<number>,
  playThresholdFraction: {
    flag: 'play-threshold-fraction',
    env: 'TONEARM_PLAY_THRESHOLD_FRACTION',
    help: '…or once this fraction of the track was heard',
    schema: z.number().gt(0, 'must be above 0').max(1, 'must be at most 1'),
    default: 0.5,
    parse: toNumber,
  } satisfies Field<number>,
  eventRetentionDays: {
    flag: 'event-retention-days',
    env: 'TONEARM_EVENT_RETENTION_DAYS',
    help: 'raw listening events older than this are compacted into daily counts (0 keeps them forever)',
    schema: z
      .number()
      .int('must be a whole number')
      .max(36500, 'must be at most 36500')
      // Trending looks back a week; compacting younger events would take plays out of it.
      .refine((d) => d === 0 || d >= 8, 'must be 0 (keep forever) or at least 8'),
    default: 365,
    parse: toNumber,
  } satisfies Field<number>,
  listenbrainzUrl: {
    flag: 'listenbrainz-url',
    env: 'TONEARM_LISTENBRAINZ_URL',
    help: 'ListenBrainz API base URL (for a self-hosted instance)',
    schema: httpUrl,
    default: 'https://api.listenbrainz.org',
  } satisfies Field<string>,
  lastfmUrl: {
    flag: 'lastfm-url',
    env: 'TONEARM_LASTFM_URL',
    help: 'Last.fm API base URL (or a compatible service such as Libre.fm)',
    schema: httpUrl,
    default: 'https://ws.audioscrobbler.com',
  } satisfies Field<string>,
  lastfmApiKey: {
    flag: 'lastfm-api-key',
    env: 'TONEARM_LASTFM_API_KEY',
    help: "this server's Last.fm API account key (users may bring their own)",
    schema: z.string(),
    default: '',
  } satisfies Field<string>,
  lastfmApiSecret: {
    flag: 'lastfm-api-secret',
    env: 'TONEARM_LASTFM_API_SECRET',
    help: "this server's Last.fm API account secret",
    schema: z.string(),
    default: '',
    secret: true,
  } satisfies Field<string>,
} as const

export type Fields = typeof fields
export type ConfigKey = keyof Fields
export type Config = { [K in ConfigKey]: Fields[K]['default'] }
