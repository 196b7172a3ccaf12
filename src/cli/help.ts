import { type Field, fields } from '../config/fields.ts'
import { NAME, VERSION } from '../version.ts'

export function helpText(): string {
  const settings = (Object.values(fields) as Field<unknown>[]).map((f) => {
    const name = !f.flag
      ? '(no flag)'
      : typeof f.default === 'boolean'
        ? `--${f.flag}`
        : `--${f.flag} ${f.arg ?? 'VALUE'}`
    const empty = Array.isArray(f.default) ? f.default.length === 0 : f.default === ''
    const def =
      empty || f.secret
        ? ''
        : ` [default: ${Array.isArray(f.default) ? f.default.join(',') : String(f.default)}]`
    // A flag too long for the column gets its help on the next line instead of running into it.
    const flag = name.length < 30 ? name.padEnd(30) : `${name}\n  ${''.padEnd(30)}`
    return `  ${flag}${f.help}${def}\n  ${''.padEnd(30)}env ${f.env}`
  })
  return `${NAME} ${VERSION} — a self-hosted music server in one file

Usage:
  tonearm [serve] [--music DIR]... [--data DIR] [--port N] [--host ADDR]
  tonearm backup DEST [--data DIR]   copy the database and keys into the new directory DEST,
                                      safely while a server is running on DIR
  tonearm user add NAME [--admin] [--password-stdin] [--data DIR]
                                      create a user (an admin with --admin); the password is read
                                      from stdin (with --password-stdin, or typed at a terminal)
  tonearm user passwd NAME [--password-stdin] [--data DIR]
                                      set a new password and sign the user out everywhere
  tonearm user list [--data DIR]      list users, their roles and settings
  tonearm user delete NAME [--data DIR]
                                      delete a user with their sessions and tokens
  tonearm transcode [PATH]...        build the HLS ladder and loudness of audio files or folders
                                      now, into <data>/cache/audio, with progress and a summary
  tonearm transcode [--album ID] [--artist ID] [--recent N] [--missing] [--data DIR]
                                      without paths: the same for the scanned library, or the
                                      tracks of an album or artist, the N newest, or only those
                                      with work left; beside a running server too (they share the
                                      queue); Ctrl-C stops cleanly and the next run resumes
  tonearm scan [--full] [--music DIR]... [--data DIR]
                                      scan the music folders once and print a summary (new and
                                      changed files only; --full re-reads all), also beside a
                                      running server on DIR; exits 0 when done, 1 when the scan
                                      failed, 130 when stopped (Ctrl-C, SIGTERM)
  tonearm --version | --help

  The user commands work beside a running server on the same data directory.

Settings (flags, then environment, then <data>/tonearm.json, then defaults):
${settings.join('\n')}
`
}
