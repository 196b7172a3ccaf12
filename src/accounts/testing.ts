import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { syncMusicFolders } from '../catalog/index.ts'
import { openDatabase } from '../db/open.ts'
import type { Sqlite } from '../platform/sqlite.ts'
import { type Accounts, createAccounts } from './accounts.ts'

/** A clock tests move by hand, for backoff and expiry without sleeping. */
export function manualClock(start = Date.now()) {
  let t = start
  return {
    now: () => t,
    advance(ms: number) {
      t += ms
    },
  }
}

/** Cheapest scrypt the hash format accepts; production strength is exercised by the black-box tests. */
export const FAST_SCRYPT = { ln: 10, r: 8, p: 1 }

export interface AccountsFixture {
  dir: string
  sqlite: Sqlite
  accounts: Accounts
  clock: ReturnType<typeof manualClock>
  secretKey: Buffer
  /** Another connection to the same file, as `tonearm user` in another process would open. */
  second(): Promise<{ sqlite: Sqlite; accounts: Accounts }>
  close(): void
}

// Real SQLite files in a temporary directory: the domain under test is exactly what runs in production.
export async function accountsFixture(opts: { folders?: string[] } = {}): Promise<AccountsFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tonearm-accounts-'))
  const sqlite = await openDatabase(dir)
  // As at start-up: folders are synced before accounts load, so "all folders" means these.
  syncMusicFolders(sqlite.db, opts.folders ?? ['/music/family', '/music/grown-ups'])
  const clock = manualClock()
  const secretKey = randomBytes(32)
  const accounts = createAccounts({ db: sqlite.db, secretKey, now: clock.now, scrypt: FAST_SCRYPT })
  const others: Sqlite[] = []
  return {
    dir,
    sqlite,
    accounts,
    clock,
    secretKey,
    async second() {
      const other = await openDatabase(dir)
      others.push(other)
      return {
        sqlite: other,
        accounts: createAccounts({ db: other.db, secretKey, now: clock.now, scrypt: FAST_SCRYPT }),
      }
    },
    close() {
      accounts.close()
      for (const o of others) o.close()
      sqlite.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
