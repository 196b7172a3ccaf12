import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DomainError } from '../lib/errors.ts'
import { describeConfig, loadConfig } from './load.ts'

const dir = mkdtempSync(join(tmpdir(), 'tonearm-config-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const messageOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError)
    return (err as Error).message
  }
  throw new Error('expected a configuration error')
}

describe('loadConfig', () => {
  it('uses defaults when nothing is given', () => {
    const { config, sources } = loadConfig({ flags: { data: dir }, env: {} })
    expect(config.port).toBe(4747)
    expect(config.music).toEqual([])
    expect(sources.port).toBe('default')
  })

  it('prefers flags over environment over the config file', () => {
    writeFileSync(
      join(dir, 'tonearm.json'),
      JSON.stringify({ port: 1111, host: '127.0.0.1', logLevel: 'warn' }),
    )
    const { config, sources } = loadConfig({
      flags: { data: dir, port: '3333' },
      env: { TONEARM_PORT: '2222', TONEARM_HOST: '::1' },
    })
    expect(config.port).toBe(3333)
    expect(sources.port).toBe('flag')
    expect(config.host).toBe('::1')
    expect(sources.host).toBe('env')
    expect(config.logLevel).toBe('warn')
    expect(sources.logLevel).toBe('file')
    rmSync(join(dir, 'tonearm.json'))
  })

  it('splits TONEARM_MUSIC on colons and accepts repeated --music', () => {
    const env = loadConfig({ flags: { data: dir }, env: { TONEARM_MUSIC: '/a:/b' } })
    expect(env.config.music).toEqual(['/a', '/b'])
    const flags = loadConfig({ flags: { data: dir, music: ['/c', '/d'] }, env: { TONEARM_MUSIC: '/a' } })
    expect(flags.config.music).toEqual(['/c', '/d'])
  })

  it('names the setting, where it came from and why it is wrong', () => {
    expect(messageOf(() => loadConfig({ flags: { data: dir, port: '99999' }, env: {} }))).toBe(
      'invalid setting port (--port): must be between 0 and 65535, got 99999',
    )
    expect(messageOf(() => loadConfig({ flags: { data: dir }, env: { TONEARM_PORT: 'eighty' } }))).toContain(
      'invalid setting port (TONEARM_PORT)',
    )
    expect(messageOf(() => loadConfig({ flags: { data: dir, engine: 'gpu' }, env: {} }))).toContain(
      'must be one of auto, wasm, native',
    )
  })

  it('checks the listening-event settings', () => {
    const ok = loadConfig({
      flags: { data: dir, 'event-retention-days': '0', 'play-threshold-fraction': '0.25' },
      env: { TONEARM_LASTFM_URL: 'http://libre.fm', TONEARM_LASTFM_API_SECRET: 's3cret' },
    })
    expect(ok.config).toMatchObject({
      eventRetentionDays: 0,
      playThresholdFraction: 0.25,
      lastfmUrl: 'http://libre.fm',
    })
    expect(describeConfig(ok).lastfmApiSecret).toEqual({ value: '[redacted]', from: 'env' })
    expect(messageOf(() => loadConfig({ flags: { data: dir, 'event-retention-days': '3' }, env: {} }))).toBe(
      'invalid setting eventRetentionDays (--event-retention-days): must be 0 (keep forever) or at least 8, got 3',
    )
    expect(
      messageOf(() => loadConfig({ flags: { data: dir }, env: { TONEARM_LISTENBRAINZ_URL: 'ftp://x' } })),
    ).toContain('must be an http:// or https:// URL')
    expect(
      messageOf(() => loadConfig({ flags: { data: dir, 'play-threshold-fraction': '0' }, env: {} })),
    ).toContain('must be above 0')
  })

  it('rejects unknown keys and broken JSON in the config file', () => {
    writeFileSync(join(dir, 'tonearm.json'), '{"prot": 1}')
    expect(messageOf(() => loadConfig({ flags: { data: dir }, env: {} }))).toContain('unknown setting "prot"')
    writeFileSync(join(dir, 'tonearm.json'), '{port: 1')
    expect(messageOf(() => loadConfig({ flags: { data: dir }, env: {} }))).toContain('is not valid JSON')
    rmSync(join(dir, 'tonearm.json'))
  })

  it('describes the effective configuration with its sources', () => {
    const described = describeConfig(loadConfig({ flags: { data: dir }, env: { TONEARM_PORT: '5000' } }))
    expect(described.port).toEqual({ value: 5000, from: 'env' })
  })

  it('reads the security settings: lists, switches, and a secret that is never echoed', () => {
    const { config } = loadConfig({
      flags: { data: dir, 'trusted-proxy': ['10.0.0.0/8'], 'setup-from-any-address': true },
      env: {
        TONEARM_CORS_ORIGINS: 'https://a.example, https://b.example:8443',
        TONEARM_AUTH_HEADER: 'Remote-User',
        TONEARM_AUTH_HEADER_CREATE_USERS: 'yes',
        TONEARM_ADMIN_PASSWORD: 'from-env-secret',
      },
    })
    expect(config.trustedProxies).toEqual(['10.0.0.0/8'])
    expect(config.setupFromAnyAddress).toBe(true)
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example:8443'])
    expect(config.authHeader).toBe('remote-user')
    expect(config.authHeaderCreateUsers).toBe(true)
    const described = describeConfig(
      loadConfig({ flags: { data: dir }, env: { TONEARM_ADMIN_PASSWORD: 'from-env-secret' } }),
    )
    expect(described.adminPassword).toEqual({ value: '[redacted]', from: 'env' })
    expect(
      messageOf(() => loadConfig({ flags: { data: dir }, env: { TONEARM_TRUSTED_PROXIES: '10.0.0.0/99' } })),
    ).toContain(
      'invalid setting trustedProxies (TONEARM_TRUSTED_PROXIES): must be IP addresses or CIDR ranges',
    )
    expect(
      messageOf(() =>
        loadConfig({ flags: { data: dir }, env: { TONEARM_CORS_ORIGINS: 'https://a.example/path' } }),
      ),
    ).toContain('no path')
    expect(
      messageOf(() => loadConfig({ flags: { data: dir }, env: { TONEARM_SETUP_FROM_ANY_ADDRESS: 'maybe' } })),
    ).toContain('must be true or false')
    writeFileSync(join(dir, 'tonearm.json'), JSON.stringify({ adminPassword: 42 }))
    const secret = messageOf(() => loadConfig({ flags: { data: dir }, env: {} }))
    expect(secret).toStartWith('invalid setting adminPassword (tonearm.json):')
    expect(secret).not.toContain('42')
    rmSync(join(dir, 'tonearm.json'))
  })
})
