import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { conflict } from '../lib/errors.ts'
import { openSqlite, type Sqlite } from '../platform/sqlite.ts'

const LOCK_DB = 'server.lock'
const LOCK_INFO = 'server.json'

export interface ServerInfo {
  pid: number
  port: number
  host: string
  startedAt: string
}

export interface ServerLock {
  /** Record the port actually bound (it differs when 0 asked for a free one). */
  update(info: Partial<Pick<ServerInfo, 'port' | 'host'>>): void
  release(): void
}

// One server per data directory. The lock is an exclusive transaction held open on a small
// SQLite file: the OS drops it when the process dies, even on kill -9, so there is never a stale
// lock to clean up by hand. Admin commands never take it and work beside a running server.
export async function acquireServerLock(
  dataDir: string,
  info: Omit<ServerInfo, 'pid' | 'startedAt'>,
): Promise<ServerLock> {
  const s: Sqlite = await openSqlite(join(dataDir, LOCK_DB), { busyTimeoutMs: 0 })
  try {
    s.exec('PRAGMA journal_mode = DELETE')
    s.exec('BEGIN EXCLUSIVE')
  } catch {
    s.close()
    const running = readServerInfo(dataDir)
    const who = running ? ` (pid ${running.pid}, port ${running.port}, since ${running.startedAt})` : ''
    throw conflict(`another Tonearm server is already running on data directory ${dataDir}${who}`)
  }
  const infoPath = join(dataDir, LOCK_INFO)
  const full: ServerInfo = { pid: process.pid, startedAt: new Date().toISOString(), ...info }
  writeFileSync(infoPath, `${JSON.stringify(full)}\n`)
  return {
    update(changes) {
      Object.assign(full, changes)
      writeFileSync(infoPath, `${JSON.stringify(full)}\n`)
    },
    release() {
      rmSync(infoPath, { force: true })
      s.exec('ROLLBACK')
      s.close()
    },
  }
}

export function readServerInfo(dataDir: string): ServerInfo | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, LOCK_INFO), 'utf8')) as ServerInfo
  } catch {
    return null
  }
}
