import { sql } from 'drizzle-orm'
import { notFound } from '../../lib/errors.ts'
import type { Db } from '../../platform/sqlite.ts'
import { sortKeyOf } from '../normalize.ts'
import { inFolders } from './page.ts'

// The music folders as the files lie on disk, for clients that browse by folder (Subsonic's
// getIndexes / getMusicDirectory). Directories are not stored: they are the distinct `dir` values
// of present tracks, read through the (folder_id, dir) index with a range on the path prefix.

export interface DirectoryEntry {
  /** Path relative to the music folder, '/'-separated. */
  dir: string
  name: string
  /** A cover to show for the directory: its image file, else one of its tracks'. */
  coverId: string | null
}

export interface Directory {
  folderId: number
  dir: string
  name: string
  /** null at the root of a music folder. */
  parent: string | null
  subdirectories: DirectoryEntry[]
}

// The first character after '/' in code-point order: every path under `p/` sorts in [p/, p0).
const AFTER_SLASH = '0'

function under(prefix: string) {
  return prefix === '' ? sql`1` : sql`t.dir >= ${`${prefix}/`} AND t.dir < ${`${prefix}${AFTER_SLASH}`}`
}

/** The directories inside `dir` of a folder the caller may see, sorted by name; not found when none. */
export function getDirectory(
  db: Db,
  folderId: number,
  dir: string,
  folderIds?: readonly number[],
): Directory {
  const rows = db.all<{ dir: string }>(sql`SELECT DISTINCT t.dir FROM tracks t
    WHERE t.folder_id = ${folderId} AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, folderIds)}
      AND (t.dir = ${dir} OR (${under(dir)}))`)
  if (rows.length === 0) throw notFound(`directory ${dir || '/'} of folder ${folderId}`)
  const start = dir === '' ? 0 : dir.length + 1
  const children = new Set<string>()
  for (const r of rows) {
    if (r.dir === dir) continue
    const rest = r.dir.slice(start)
    children.add(rest.split('/', 1)[0] as string)
  }
  const subdirectories = [...children]
    .map((name) => {
      const path = dir === '' ? name : `${dir}/${name}`
      return { dir: path, name, coverId: coverOf(db, folderId, path) }
    })
    .sort((a, b) =>
      sortKeyOf(a.name) < sortKeyOf(b.name) ? -1 : sortKeyOf(a.name) > sortKeyOf(b.name) ? 1 : 0,
    )
  const cut = dir.lastIndexOf('/')
  return {
    folderId,
    dir,
    name: dir === '' ? '' : dir.slice(cut + 1),
    parent: dir === '' ? null : cut < 0 ? '' : dir.slice(0, cut),
    subdirectories,
  }
}

function coverOf(db: Db, folderId: number, dir: string): string | null {
  const image = db.all<{ cover_id: string }>(
    sql`SELECT cover_id FROM dir_images WHERE folder_id = ${folderId} AND dir = ${dir}`,
  )[0]
  if (image) return image.cover_id
  const track = db.all<{ cover: string | null }>(sql`SELECT coalesce(t.cover_id, al.cover_id) AS cover
    FROM tracks t JOIN albums al ON al.id = t.album_id
    WHERE t.folder_id = ${folderId} AND t.missing_at IS NULL AND (t.dir = ${dir} OR (${under(dir)}))
      AND coalesce(t.cover_id, al.cover_id) IS NOT NULL LIMIT 1`)[0]
  return track?.cover ?? null
}
