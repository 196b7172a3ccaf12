import { describe, expect, it } from 'bun:test'
import { FTL_VARIABLE, scanRelaunch } from './scan-launch.ts'

const BUN = '/opt/bun/bin/bun'

describe('scanRelaunch', () => {
  it('from source: Bun, its own flags, the script and the arguments, with FTL off', () => {
    const next = scanRelaunch({
      bun: '1.4.5',
      execPath: BUN,
      argv: [BUN, '/app/src/main.ts', 'scan', '--music', '/m'],
      execArgv: ['--smol'],
      env: { HOME: '/root', TONEARM_DATA: '/d', UNSET: undefined },
    })
    expect(next).toEqual({
      path: BUN,
      args: [BUN, '--smol', '/app/src/main.ts', 'scan', '--music', '/m'],
      env: { HOME: '/root', TONEARM_DATA: '/d', [FTL_VARIABLE]: '0' },
    })
  })

  it('compiled: the binary and the arguments, without its embedded path', () => {
    const next = scanRelaunch({
      bun: '1.4.5',
      execPath: '/usr/local/bin/tonearm',
      argv: ['bun', '/$bunfs/root/tonearm', 'scan', '--full'],
      execArgv: [],
      env: {},
    })
    expect(next?.path).toBe('/usr/local/bin/tonearm')
    expect(next?.args).toEqual(['/usr/local/bin/tonearm', 'scan', '--full'])
    expect(next?.env).toEqual({ [FTL_VARIABLE]: '0' })
  })

  it('leaves a value the user set, the relaunched copy itself, and Node alone', () => {
    const base = { execPath: BUN, argv: [BUN, '/app/src/main.ts', 'scan'], execArgv: [] }
    expect(scanRelaunch({ ...base, bun: '1.4.5', env: { [FTL_VARIABLE]: '1' } })).toBeNull()
    expect(scanRelaunch({ ...base, bun: '1.4.5', env: { [FTL_VARIABLE]: '0' } })).toBeNull()
    expect(scanRelaunch({ ...base, bun: undefined, env: {} })).toBeNull()
  })
})
