import { accessSync, constants, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { invalid } from '../lib/errors.ts'
import type { Config } from './fields.ts'

// Checks that need the file system, kept apart from parsing so `--help` and tests of
// precedence never touch the disk.
export function checkDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw invalid(`invalid setting data: cannot create ${dir}: ${(err as NodeJS.ErrnoException).code}`)
  }
  const probe = join(dir, `.write-test-${process.pid}`)
  try {
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (err) {
    throw invalid(`invalid setting data: ${dir} is not writable (${(err as NodeJS.ErrnoException).code})`)
  }
}

export function checkMusicDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let isDir: boolean
    try {
      isDir = statSync(dir).isDirectory()
      accessSync(dir, constants.R_OK | constants.X_OK)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const reason = code === 'ENOENT' ? 'does not exist' : `is not readable (${code})`
      throw invalid(`invalid setting music: ${dir} ${reason}`)
    }
    if (!isDir) throw invalid(`invalid setting music: ${dir} is not a directory`)
  }
}

export function checkConfig(config: Config): void {
  checkMusicDirs(config.music)
  checkDataDir(config.data)
}
