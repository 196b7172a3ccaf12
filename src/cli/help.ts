import { type Field, fields } from '../config/fields.ts'
import { NAME, VERSION } from '../version.ts'

export function helpText(): string {
  const settings = (Object.values(fields) as Field<unknown>[]).map((f) => {
    const flag = `--${f.flag} ${f.metavar ?? (Array.isArray(f.default) ? 'DIR' : 'VALUE')}`.padEnd(30)
    const empty = Array.isArray(f.default) ? f.default.length === 0 : f.default === ''
    const def = empty
      ? ''
      : ` [default: ${Array.isArray(f.default) ? f.default.join(',') : String(f.default)}]`
    return `  ${flag}${f.help}${def}\n  ${''.padEnd(30)}env ${f.env}`
  })
  return `${NAME} ${VERSION} — a self-hosted music server in one file

Usage:
  tonearm [serve] [--music DIR]... [--data DIR] [--port N] [--host ADDR]
  tonearm backup DEST [--data DIR]   copy the database and keys into the new directory DEST,
                                      safely while a server is running on DIR
  tonearm transcode [PATH]...        build the HLS ladder and loudness of audio files or folders
                                      now, into <data>/cache/audio, with progress and a summary
  tonearm --version | --help

Settings (flags, then environment, then <data>/tonearm.json, then defaults):
${settings.join('\n')}
`
}
