import { describe, expect, it } from 'bun:test'
import { ENGINE_OPTIONS, jscOptionsFor, relaunchWith, SCAN_OPTIONS } from './jsc-launch.ts'

const BUN = '/opt/bun/bin/bun'
const FTL = 'BUN_JSC_useFTLJIT'

describe('relaunchWith', () => {
  it('from source: Bun, its own flags, the script and the arguments, with the options', () => {
    const next = relaunchWith(
      {
        bun: '1.4.5',
        execPath: BUN,
        argv: [BUN, '/app/src/main.ts', 'scan', '--music', '/m'],
        execArgv: ['--smol'],
        env: { HOME: '/root', TONEARM_DATA: '/d', UNSET: undefined },
      },
      SCAN_OPTIONS,
    )
    expect(next).toEqual({
      path: BUN,
      args: [BUN, '--smol', '/app/src/main.ts', 'scan', '--music', '/m'],
      env: { HOME: '/root', TONEARM_DATA: '/d', [FTL]: '0' },
    })
  })

  it('compiled: the binary and the arguments, without its embedded path', () => {
    const next = relaunchWith(
      {
        bun: '1.4.5',
        execPath: '/usr/local/bin/tonearm',
        argv: ['bun', '/$bunfs/root/tonearm', 'scan', '--full'],
        execArgv: [],
        env: {},
      },
      SCAN_OPTIONS,
    )
    expect(next?.path).toBe('/usr/local/bin/tonearm')
    expect(next?.args).toEqual(['/usr/local/bin/tonearm', 'scan', '--full'])
    expect(next?.env).toEqual({ [FTL]: '0' })
  })

  it('leaves values the user set, the relaunched copy itself, and Node alone', () => {
    const base = { execPath: BUN, argv: [BUN, '/app/src/main.ts', 'scan'], execArgv: [] }
    expect(relaunchWith({ ...base, bun: '1.4.5', env: { [FTL]: '1' } }, SCAN_OPTIONS)).toBeNull()
    expect(relaunchWith({ ...base, bun: '1.4.5', env: { [FTL]: '0' } }, SCAN_OPTIONS)).toBeNull()
    expect(relaunchWith({ ...base, bun: undefined, env: {} }, SCAN_OPTIONS)).toBeNull()
    expect(relaunchWith({ ...base, bun: '1.4.5', env: {} }, {})).toBeNull()
  })

  it('adds only the options the user did not set', () => {
    const [first, second] = Object.keys(ENGINE_OPTIONS) as [string, string]
    const next = relaunchWith(
      { bun: '1.4.5', execPath: BUN, argv: [BUN, '/app/src/main.ts'], execArgv: [], env: { [first]: '0' } },
      ENGINE_OPTIONS,
    )
    expect(next?.env).toEqual({ [first]: '0', [second]: ENGINE_OPTIONS[second] as string })
  })
})

describe('jscOptionsFor', () => {
  it('gives the scan no FTL, the commands that run WASM ffmpeg the engine options, the rest none', () => {
    expect(jscOptionsFor('scan', () => true)).toBe(SCAN_OPTIONS)
    expect(jscOptionsFor('serve', () => true)).toBe(ENGINE_OPTIONS)
    expect(jscOptionsFor('transcode', () => true)).toBe(ENGINE_OPTIONS)
    expect(jscOptionsFor('user', () => true)).toEqual({})
    expect(jscOptionsFor('backup', () => true)).toEqual({})
  })

  it('gives a server or transcode that will use native ffmpeg nothing: no relaunch', () => {
    expect(jscOptionsFor('serve', () => false)).toEqual({})
    expect(jscOptionsFor('transcode', () => false)).toEqual({})
  })
})
