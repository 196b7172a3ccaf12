import { join } from 'node:path'
import { openSqlite, type Sqlite } from '../platform/sqlite.ts'
import { applyMigrations } from './migrate.ts'
import { migrations } from './migrations.gen.ts'

export const DB_FILE = 'tonearm.db'

// WAL lets readers (the API, `tonearm backup`) run beside the one writer; synchronous=NORMAL is
// safe under WAL (a power cut may lose the last commits, never corrupt the file). Temporary
// files (statement journals, sorts) stay in memory: a first scan wrote ~114,000 small statement
// journal pages to /var/tmp without it (13,700 with it), wear an SD card on a Pi need not take.
export async function openDatabase(dataDir: string): Promise<Sqlite> {
  const s = await openSqlite(join(dataDir, DB_FILE))
  try {
    s.exec('PRAGMA journal_mode = WAL')
    s.exec('PRAGMA synchronous = NORMAL')
    s.exec('PRAGMA foreign_keys = ON')
    s.exec('PRAGMA temp_store = MEMORY')
    applyMigrations(s.db, migrations)
  } catch (err) {
    s.close()
    throw err
  }
  return s
}

export function integrityCheck(s: Sqlite): string[] {
  return s.all<{ integrity_check: string }>('PRAGMA integrity_check').map((r) => r.integrity_check)
}
