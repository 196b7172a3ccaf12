import { join } from 'node:path'
import { openSqlite } from '../../platform/sqlite.ts'

const SCAN_LOCK = 'scan.lock'

export interface ScanLock {
  release(): void
}

/**
 * One scan at a time per data directory, across processes: `tonearm scan` from cron and the
 * server's watcher must not write the same files at once. Like the server lock, it is an
 * exclusive transaction on a small SQLite file, so the OS drops it when a process dies.
 * Returns null while another process holds it.
 */
export async function tryScanLock(dataDir: string): Promise<ScanLock | null> {
  const s = await openSqlite(join(dataDir, SCAN_LOCK), { busyTimeoutMs: 0 })
  try {
    s.exec('PRAGMA journal_mode = DELETE')
    s.exec('BEGIN EXCLUSIVE')
  } catch {
    s.close()
    return null
  }
  return {
    release() {
      s.exec('ROLLBACK')
      s.close()
    },
  }
}
