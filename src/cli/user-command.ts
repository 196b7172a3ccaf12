import type { Accounts, User } from '../accounts/index.ts'
import { invalid, notFound } from '../lib/errors.ts'

export interface UserCommandIO {
  /** Resolves to everything on stdin. */
  readStdin(): Promise<string>
  /** Reads one typed line from an interactive terminal, or null when stdin is not one. */
  promptLine(question: string): Promise<string | null>
  out(line: string): void
}

const USAGE =
  'usage: tonearm user add NAME [--admin] [--password-stdin] | passwd NAME [--password-stdin] | list | delete NAME'

// `tonearm user …` works on the database directly, beside a running server: it never takes the
// server lock, SQLite's WAL and busy timeout keep the two writers apart, and the server notices
// the change within a second (see credential-index.ts), so a deleted user is signed out at once.
export async function runUserCommand(
  accounts: Accounts,
  positionals: string[],
  flags: Record<string, unknown>,
  io: UserCommandIO,
): Promise<void> {
  const [action, name, ...extra] = positionals
  if (extra.length > 0) throw invalid(`unexpected argument "${extra[0]}" (${USAGE})`)
  const console = { source: 'cli' as const }
  const need = (): string => {
    if (!name) throw invalid(`tonearm user ${action} needs a user name (${USAGE})`)
    return name
  }
  const find = (username: string): User => {
    const user = accounts.users.findByName(username)
    if (!user) throw notFound(`user "${username}"`)
    return user
  }

  switch (action) {
    case 'add': {
      const username = need()
      const password = await readPassword(flags, io)
      const user = await accounts.users.create(
        { username, password, role: flags.admin ? 'admin' : 'user' },
        console,
      )
      return io.out(`created ${user.role} ${user.username} (id ${user.id})`)
    }
    case 'passwd': {
      const user = find(need())
      const password = await readPassword(flags, io)
      await accounts.users.update(user.id, { password }, console)
      return io.out(`changed the password of ${user.username}; their sessions have been ended`)
    }
    case 'delete': {
      const user = find(need())
      accounts.users.remove(user.id, console)
      return io.out(`deleted ${user.username} with their sessions and tokens`)
    }
    case 'list': {
      if (name) throw invalid(`unexpected argument "${name}" (${USAGE})`)
      return io.out(table(accounts.users.list(console)))
    }
    default:
      throw invalid(action ? `unknown user command "${action}" (${USAGE})` : USAGE)
  }
}

async function readPassword(flags: Record<string, unknown>, io: UserCommandIO): Promise<string> {
  if (flags['password-stdin']) {
    const text = (await io.readStdin()).replace(/\r?\n$/, '')
    if (/[\r\n]/.test(text)) throw invalid('the password on stdin must be a single line')
    return text
  }
  const typed = await io.promptLine('Password (shown as you type): ')
  if (typed === null) {
    throw invalid(
      'no password: pipe one in with --password-stdin, e.g. printf %s "$PW" | tonearm user add NAME --password-stdin',
    )
  }
  return typed
}

function table(users: User[]): string {
  if (users.length === 0) return 'no users yet: tonearm user add NAME --admin --password-stdin'
  const rows = users.map((u) => [
    String(u.id),
    u.username,
    u.role,
    u.role === 'admin' || u.folders === 'all' ? 'all' : u.folders.join(',') || 'none',
    u.maxBitrate === 0 ? 'unlimited' : `${u.maxBitrate} kbps`,
    [u.canDownload ? 'download' : '', u.canShare ? 'share' : '', u.hasSubsonicPassword ? 'subsonic' : '']
      .filter(Boolean)
      .join(',') || '-',
    u.createdAt.slice(0, 10),
  ])
  const all = [['ID', 'NAME', 'ROLE', 'FOLDERS', 'BITRATE', 'MAY', 'CREATED'], ...rows]
  const widths = all[0]?.map((_, i) => Math.max(...all.map((r) => (r[i] as string).length))) ?? []
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
