import { inArray } from 'drizzle-orm'
import { musicFolders } from '../db/schema/index.ts'
import { invalid } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { FolderGrant } from './types.ts'

// Input rules of the domain, so the CLI, the REST API and later Subsonic all refuse the same things
// with the same words. The API's zod schemas mirror them for the OpenAPI document.

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/
export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 1024

export function checkUsername(name: string): string {
  if (!USERNAME_PATTERN.test(name)) {
    throw invalid(
      'username: must be 1-64 letters, digits or ._@+- characters, starting with a letter or digit',
      {
        field: 'username',
      },
    )
  }
  return name
}

export function checkPassword(password: string, field = 'password'): string {
  const length = [...password].length
  if (length < PASSWORD_MIN) throw invalid(`${field}: must be at least ${PASSWORD_MIN} characters`, { field })
  if (length > PASSWORD_MAX) throw invalid(`${field}: must be at most ${PASSWORD_MAX} characters`, { field })
  return password
}

export function checkBitrate(kbps: number): number {
  if (!Number.isInteger(kbps) || kbps < 0 || kbps > 100_000) {
    throw invalid('maxBitrate: must be a whole number of kbps between 0 (no limit) and 100000', {
      field: 'maxBitrate',
    })
  }
  return kbps
}

/** Grants must name folders that exist; ids are those of /api/folders and Subsonic's musicFolderId. */
export function checkFolders(db: Db, grant: FolderGrant): FolderGrant {
  if (grant === 'all') return grant
  const unique = [...new Set(grant)]
  const known = unique.length
    ? db.select({ id: musicFolders.id }).from(musicFolders).where(inArray(musicFolders.id, unique)).all()
    : []
  const missing = unique.filter((id) => !known.some((k) => k.id === id))
  if (missing.length > 0) {
    throw invalid(`folders: no music folder with id ${missing.join(', ')}`, { field: 'folders' })
  }
  return unique.sort((a, b) => a - b)
}
