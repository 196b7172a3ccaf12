import { afterEach, beforeEach, describe, expect, it } from 'bun:test'
import { type AccountsFixture, accountsFixture } from '../accounts/testing.ts'
import { parseCommandLine } from './args.ts'
import { runUserCommand, type UserCommandIO } from './user-command.ts'

let f: AccountsFixture
beforeEach(async () => {
  f = await accountsFixture()
})
afterEach(() => f.close())

// The terminal as data: what stdin holds, whether it is a TTY, and what was printed.
function io(stdin: string, tty: string | null = null): UserCommandIO & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    readStdin: async () => stdin,
    promptLine: async () => tty,
    out: (line) => void lines.push(line),
  }
}

const run = (argv: string[], terminal: UserCommandIO) => {
  const args = parseCommandLine(argv)
  return runUserCommand(f.accounts, args.positionals, args.flags, terminal)
}

describe('tonearm user', () => {
  it('adds an admin from stdin, lists, changes the password and deletes', async () => {
    const t = io('s3cret-password\n')
    await run(['user', 'add', 'root', '--admin', '--password-stdin'], t)
    expect(t.lines).toEqual(['created admin root (id 1)'])
    await run(['user', 'add', 'anna', '--password-stdin'], io('anna-password\r\n'))
    const list = io('')
    await run(['user', 'list'], list)
    expect(list.lines[0]).toMatch(/^ID\s+NAME\s+ROLE/)
    expect(list.lines[0]).toMatch(/\n1\s+root\s+admin\s+all\s+unlimited/)
    expect(list.lines[0]).toMatch(/\n2\s+anna\s+user/)
    expect((await f.accounts.auth.login('anna', 'anna-password', {})).user.role).toBe('user')

    await run(['user', 'passwd', 'anna', '--password-stdin'], io('better-password'))
    await expect(f.accounts.auth.login('anna', 'anna-password', {})).rejects.toThrow()
    await run(['user', 'delete', 'anna'], io(''))
    expect(f.accounts.users.findByName('anna')).toBeNull()
    const actions = f.accounts.audit.list({}).items.map((e) => `${e.action}:${e.actorName}`)
    expect(actions).toContain('user.create:(cli)')
    expect(actions).toContain('user.delete:(cli)')
  })

  it('reads the password from an interactive terminal when not piped', async () => {
    await run(['user', 'add', 'root', '--admin'], io('', 'typed-password'))
    expect((await f.accounts.auth.login('root', 'typed-password', {})).user.role).toBe('admin')
  })

  it('explains what to do without a password source, and refuses bad input', async () => {
    await expect(run(['user', 'add', 'root'], io(''))).rejects.toThrow('--password-stdin')
    await expect(run(['user', 'add', 'root', '--password-stdin'], io('short'))).rejects.toThrow(
      'password: must be at least 8 characters',
    )
    await expect(run(['user', 'add', 'root', '--password-stdin'], io('two\nlines-here'))).rejects.toThrow(
      'single line',
    )
    await expect(run(['user', 'add'], io(''))).rejects.toThrow('needs a user name')
    await expect(run(['user', 'frob'], io(''))).rejects.toThrow('unknown user command "frob"')
    await expect(run(['user', 'delete', 'ghost'], io(''))).rejects.toThrow('user "ghost" not found')
  })

  it('keeps command flags to their command', () => {
    expect(() => parseCommandLine(['serve', '--admin'])).toThrow('--admin only applies to: tonearm user')
    expect(parseCommandLine(['--setup-from-any-address']).flags['setup-from-any-address']).toBe(true)
  })
})
