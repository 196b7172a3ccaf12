import { z } from 'zod'
import { DEFAULT_ARTIST_SEPARATORS } from '../catalog/normalize.ts'
import { isAddressOrRange } from '../lib/ip.ts'
import { LOG_LEVELS } from '../lib/logger.ts'

// Every setting as plain data: its flag, its environment variable, how to read it from a string,
// its schema and default. Help text, validation and the start-up printout all come from this table.
export interface Field<T> {
  /** Omitted for secrets: a flag would show the value to every local user in `ps`. */
  flag?: string
  env: string
  help: string
  schema: z.ZodType<T>
  default: T
  /** How a flag or environment string becomes a value before validation. */
  parse?: (raw: string) => unknown
  /** The placeholder shown in --help (`VALUE` unless set). */
  arg?: string
  secret?: boolean
}

const port = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535')

const toNumber = (raw: string) => (raw.trim() === '' ? raw : Number(raw))
const toList = (raw: string) =>
  raw
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
const TRUE = ['true', '1', 'yes', 'on']
const FALSE = ['false', '0', 'no', 'off']
const toBoolean = (raw: string) => {
  const v = raw.trim().toLowerCase()
  return TRUE.includes(v) ? true : FALSE.includes(v) ? false : raw
}
const boolean = z.boolean({ error: 'must be true or false' })
// An origin as browsers send it in the Origin header: scheme, host and optional port, nothing else.
const origin = z
  .string()
  .regex(/^https?:\/\/[^/?#\s]+$/, 'must be origins like https://music.example.com (no path)')

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
    arg: 'DIR',
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
    arg: 'SEP',
  } satisfies Field<string[]>,
  adminUser: {
    flag: 'admin-user',
    env: 'TONEARM_ADMIN_USER',
    // The accounts domain checks the name's shape when it creates the user, with its own rule.
    help: 'name of the first admin created from TONEARM_ADMIN_PASSWORD',
    schema: z.string().min(1, 'must not be empty'),
    default: 'admin',
  } satisfies Field<string>,
  adminPassword: {
    env: 'TONEARM_ADMIN_PASSWORD',
    help: 'creates the first admin at start when no user exists yet (environment or config file only)',
    schema: z.string(),
    default: '',
    secret: true,
  } satisfies Field<string>,
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
  setupFromAnyAddress: {
    flag: 'setup-from-any-address',
    env: 'TONEARM_SETUP_FROM_ANY_ADDRESS',
    help: 'allow the first-run setup page from any address, not only loopback and private networks',
    schema: boolean,
    default: false as boolean,
    parse: toBoolean,
  } satisfies Field<boolean>,
  sessionDays: {
    flag: 'session-days',
    env: 'TONEARM_SESSION_DAYS',
    help: 'browser sessions expire after this many days without use',
    schema: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(365, 'must be at most 365'),
    default: 30,
    parse: toNumber,
  } satisfies Field<number>,
  trustedProxies: {
    flag: 'trusted-proxy',
    env: 'TONEARM_TRUSTED_PROXIES',
    help: 'reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-* and auth headers are believed',
    schema: z.array(z.string().refine(isAddressOrRange, 'must be IP addresses or CIDR ranges')),
    default: [] as string[],
    parse: toList,
    arg: 'CIDR',
  } satisfies Field<string[]>,
  authHeader: {
    flag: 'auth-header',
    env: 'TONEARM_AUTH_HEADER',
    help: 'request header naming the signed-in user (e.g. Remote-User), honoured only from trusted proxies',
    schema: z
      .string()
      .regex(/^([A-Za-z0-9-]+)?$/, 'must be a header name like Remote-User')
      .transform((h) => h.toLowerCase()),
    default: '',
  } satisfies Field<string>,
  authHeaderCreateUsers: {
    flag: 'auth-header-create-users',
    env: 'TONEARM_AUTH_HEADER_CREATE_USERS',
    help: 'create unknown users named by the auth header (as role user) instead of rejecting them',
    schema: boolean,
    default: false as boolean,
    parse: toBoolean,
  } satisfies Field<boolean>,
  corsOrigins: {
    flag: 'cors-origin',
    env: 'TONEARM_CORS_ORIGINS',
    help: 'origins allowed to call the API from other web pages (comma-separated); none means CORS is off',
    schema: z.array(origin),
    default: [] as string[],
    parse: toList,
    arg: 'ORIGIN',
  } satisfies Field<string[]>,
  bodyLimitKb: {
    flag: 'body-limit-kb',
    env: 'TONEARM_BODY_LIMIT_KB',
    help: 'largest request body the API accepts, in KiB',
    schema: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(1_048_576, 'must be at most 1048576'),
    default: 1024,
    parse: toNumber,
  } satisfies Field<number>,
  segmentSeconds: {
    flag: 'segment-seconds',
    env: 'TONEARM_SEGMENT_SECONDS',
    help: 'length of HLS audio segments in seconds',
    schema: z
      .number({ error: 'must be a number' })
      .min(2, 'must be at least 2')
      .max(30, 'must be at most 30'),
    default: 6,
    parse: toNumber,
    arg: 'SEC',
  } satisfies Field<number>,
  firstSegmentSeconds: {
    flag: 'first-segment-seconds',
    env: 'TONEARM_FIRST_SEGMENT_SECONDS',
    help: 'length of the first HLS segment (shorter starts playback sooner)',
    schema: z
      .number({ error: 'must be a number' })
      .min(1, 'must be at least 1')
      .max(30, 'must be at most 30'),
    default: 2,
    parse: toNumber,
    arg: 'SEC',
  } satisfies Field<number>,
  ladder: {
    flag: 'ladder',
    env: 'TONEARM_LADDER',
    help: 'bitrate rungs in kbps for HLS (AAC) and single-file (MP3, Vorbis, Opus) renditions',
    schema: z
      .array(
        z
          .number({ error: 'must be numbers' })
          .int('must be whole kbps')
          .min(16, 'rungs must be at least 16 kbps')
          .max(320, 'rungs must be at most 320 kbps'),
      )
      .min(1, 'must name at least one rung'),
    default: [24, 96, 160, 320] as number[],
    parse: (raw) =>
      raw
        .split(',')
        .filter((r) => r.trim() !== '')
        .map((r) => Number(r)),
    arg: 'KBPS,KBPS…',
  } satisfies Field<number[]>,
  audioCacheMb: {
    flag: 'audio-cache-mb',
    env: 'TONEARM_AUDIO_CACHE_MB',
    help: 'size limit of <data>/cache/audio in MB (least recently used files go first)',
    schema: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(16, 'must be at least 16'),
    default: 4096,
    parse: toNumber,
    arg: 'MB',
  } satisfies Field<number>,
  ladderWork: {
    flag: 'ladder-work',
    env: 'TONEARM_LADDER_WORK',
    help: 'eager: after scans, build whole ladders of recently added and most played tracks in the background (up to half the audio cache); on-demand: only when played (small boards). Loudness analysis runs either way',
    schema: z.enum(['eager', 'on-demand'], { error: 'must be eager or on-demand' }),
    default: 'eager' as 'eager' | 'on-demand',
    arg: 'eager|on-demand',
  } satisfies Field<'eager' | 'on-demand'>,
  loudnessTarget: {
    flag: 'loudness-target',
    env: 'TONEARM_LOUDNESS_TARGET',
    help: 'loudness normalization target in LUFS (true peak is kept under -1 dBTP)',
    schema: z
      .number({ error: 'must be a number' })
      .min(-40, 'must be at least -40')
      .max(-5, 'must be at most -5'),
    default: -14,
    parse: toNumber,
    arg: 'LUFS',
  } satisfies Field<number>,
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
