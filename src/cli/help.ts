import { type Field, fields } from '../config/fields.ts'
import { NAME, VERSION } from '../version.ts'

export function helpText(): string {
  const settings = (Object.values(fields) as Field<unknown>[]).map((f) => {
    const name = `--${f.flag} ${Array.isArray(f.default) ? 'DIR' : 'VALUE'}`
    // A flag too long for the column gets its help on the next line instead of running into it.
    const flag = name.length < 26 ? name.padEnd(26) : `${name}\n  ${''.padEnd(26)}`
    const def = Array.isArray(f.default) || f.default === '' ? '' : ` [default: ${String(f.default)}]`
    return `  ${flag}${f.help}${def}\n  ${''.padEnd(26)}env ${f.env}`
  })
  return `${NAME} ${VERSION} — a self-hosted music server in one file

Usage:
  tonearm [serve] [--music DIR]... [--data DIR] [--port N] [--host ADDR]
  tonearm backup DEST [--data DIR]   copy the database and keys into the new directory DEST,
                                      safely while a server is running on DIR
  tonearm --version | --help

Settings (flags, then environment, then <data>/tonearm.json, then defaults):
${settings.join('\n')}
`
}
