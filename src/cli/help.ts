import { type Field, fields } from '../config/fields.ts'
import { NAME, VERSION } from '../version.ts'

export function helpText(): string {
  const settings = (Object.values(fields) as Field<unknown>[]).map((f) => {
    const flag = `--${f.flag} ${f.metavar ?? (Array.isArray(f.default) ? 'DIR' : 'VALUE')}`.padEnd(26)
    const def =
      f.default === '' || (Array.isArray(f.default) && f.default.length === 0)
        ? ''
        : ` [default: ${Array.isArray(f.default) ? JSON.stringify(f.default) : String(f.default)}]`
    return `  ${flag}${f.help}${def}\n  ${''.padEnd(26)}env ${f.env}`
  })
  return `${NAME} ${VERSION} — a self-hosted music server in one file

Usage:
  tonearm [serve] [--music DIR]... [--data DIR] [--port N] [--host ADDR]
  tonearm backup DEST [--data DIR]   copy the database and keys into the new directory DEST,
                                      safely while a server is running on DIR
  tonearm scan [--full] [--music DIR]... [--data DIR]
                                      scan the music folders once and print a summary (new and
                                      changed files only; --full re-reads all), also beside a
                                      running server on DIR
  tonearm --version | --help

Settings (flags, then environment, then <data>/tonearm.json, then defaults):
${settings.join('\n')}
`
}
