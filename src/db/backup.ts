import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_FILE } from '../config/load.ts'
import { conflict, invalid } from '../lib/errors.ts'
import { openSqlite } from '../platform/sqlite.ts'
import { DB_FILE, integrityCheck } from './open.ts'

/** Files beside the database that a restore needs: configuration and the secret keys. */
const COMPANIONS = [CONFIG_FILE, 'keys']

export interface BackupResult {
  dest: string
  files: string[]
  bytes: number
}

// VACUUM INTO takes a read transaction, so it sees one consistent snapshot even while a server on
// the same data directory keeps writing, and the copy is compact and self-contained (no -wal).
export async function backup(dataDir: string, dest: string): Promise<BackupResult> {
  const source = join(dataDir, DB_FILE)
  if (!existsSync(source)) throw invalid(`no database at ${source}: is --data right?`)
  if (existsSync(dest) && readdirSync(dest).length > 0)
    throw conflict(`backup destination ${dest} is not empty`)
  mkdirSync(dest, { recursive: true })
  const target = join(dest, DB_FILE)
  const s = await openSqlite(source, { busyTimeoutMs: 30_000 })
  try {
    s.all('VACUUM INTO ?', target)
  } catch (err) {
    rmSync(dest, { recursive: true, force: true })
    throw err
  } finally {
    s.close()
  }
  const copy = await openSqlite(target, { readonly: true })
  const check = integrityCheck(copy)
  copy.close()
  if (check[0] !== 'ok') throw new Error(`backup failed its integrity check: ${check.join('; ')}`)
  const files = [DB_FILE]
  for (const name of COMPANIONS) {
    if (existsSync(join(dataDir, name))) {
      cpSync(join(dataDir, name), join(dest, name), { recursive: true })
      files.push(name)
    }
  }
  return { dest, files, bytes: statSync(target).size }
}
