import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { invalid } from '../lib/errors.ts'
import { type Config, type ConfigKey, type Field, fields } from './fields.ts'

export const CONFIG_FILE = 'tonearm.json'

export type Source = 'flag' | 'env' | 'file' | 'default'
export interface Loaded {
  config: Config
  sources: Record<ConfigKey, Source>
}

export interface LoadInput {
  /** Flag values as parsed from argv: strings, or string arrays for repeatable flags. */
  flags: Partial<Record<string, string | string[] | boolean>>
  env: Record<string, string | undefined>
}

const keys = Object.keys(fields) as ConfigKey[]

function fail(key: ConfigKey, origin: string, reason: string): never {
  throw invalid(`invalid setting ${key} (${origin}): ${reason}`, { setting: key, origin })
}

function validate(key: ConfigKey, value: unknown, origin: string): unknown {
  const field = fields[key] as Field<unknown>
  const parsed = field.schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  // A rejected secret is still a secret: name the problem, never echo the value.
  const shown = field.secret ? '' : `, got ${JSON.stringify(value)}`
  return fail(key, origin, `${issue?.message ?? 'invalid value'}${shown}`)
}

function fromString(key: ConfigKey, raw: string | string[]): unknown {
  const field = fields[key] as Field<unknown>
  if (Array.isArray(raw)) return raw.flatMap((r) => (field.parse ? (field.parse(r) as unknown[]) : [r]))
  return field.parse ? field.parse(raw) : raw
}

function readConfigFile(dataDir: string): Record<string, unknown> {
  const path = join(dataDir, CONFIG_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw invalid(`cannot read config file ${path}: ${(err as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw invalid(`config file ${path} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(`config file ${path} must hold a JSON object`)
  }
  for (const name of Object.keys(parsed)) {
    if (!keys.includes(name as ConfigKey)) {
      throw invalid(`config file ${path}: unknown setting "${name}" (known: ${keys.join(', ')})`)
    }
  }
  return parsed as Record<string, unknown>
}

// Precedence: flags, then TONEARM_* environment, then <data>/tonearm.json, then defaults.
// The data directory is resolved first because it says where the config file lives.
export function loadConfig({ flags, env }: LoadInput): Loaded {
  const sources = {} as Record<ConfigKey, Source>
  const values = {} as Record<ConfigKey, unknown>

  const pick = (key: ConfigKey, file: Record<string, unknown>): void => {
    const field = fields[key] as Field<unknown>
    const flag = field.flag === undefined ? undefined : flags[field.flag]
    if (flag !== undefined) {
      // Boolean settings are switches on the command line (`--setup-from-any-address`).
      const value = typeof flag === 'boolean' ? flag : fromString(key, flag)
      values[key] = validate(key, value, `--${field.flag}`)
      sources[key] = 'flag'
    } else if (env[field.env] !== undefined) {
      values[key] = validate(key, fromString(key, env[field.env] as string), field.env)
      sources[key] = 'env'
    } else if (key in file) {
      values[key] = validate(key, file[key], CONFIG_FILE)
      sources[key] = 'file'
    } else {
      values[key] = field.default
      sources[key] = 'default'
    }
  }

  pick('data', {})
  values.data = resolve(values.data as string)
  const file = readConfigFile(values.data as string)
  if ('data' in file) fail('data', CONFIG_FILE, 'cannot be set inside the data directory itself')
  for (const key of keys) if (key !== 'data') pick(key, file)
  values.music = (values.music as string[]).map((p) => resolve(p))
  return { config: values as Config, sources }
}

/** The effective configuration for the start-up log, with secrets redacted. */
export function describeConfig({
  config,
  sources,
}: Loaded): Record<string, { value: unknown; from: Source }> {
  const out: Record<string, { value: unknown; from: Source }> = {}
  for (const key of keys) {
    const secret = (fields[key] as Field<unknown>).secret
    out[key] = { value: secret && config[key] ? '[redacted]' : config[key], from: sources[key] }
  }
  return out
}
