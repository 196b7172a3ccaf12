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

export interface DirectoryOptions {
  /** The folders the caller may see; all when absent. */
  folderIds?: readonly number[]
  /** False when the caller shows no covers (an index of names): they are half of the work. */
  covers?: boolean
}

/** The directories inside `dir` of a folder the caller may see, sorted by name; not found when none. */
export function getDirectory(db: Db, folderId: number, dir: string, opts: DirectoryOptions = {}): Directory {
  const { folderIds, covers = true } = opts
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
  const keys = new Map([...children].map((name) => [name, sortKeyOf(name)]))
  const found = covers ? subdirectoryCovers(db, folderId, dir) : new Map<string, string>()
  const subdirectories = [...children]
    .sort((a, b) => {
      const ka = keys.get(a) as string
      const kb = keys.get(b) as string
      return ka < kb ? -1 : ka > kb ? 1 : 0
    })
    .map((name) => ({ dir: dir === '' ? name : `${dir}/${name}`, name, coverId: found.get(name) ?? null }))
  const cut = dir.lastIndexOf('/')
  return {
    folderId,
    dir,
    name: dir === '' ? '' : dir.slice(cut + 1),
    parent: dir === '' ? null : cut < 0 ? '' : dir.slice(0, cut),
    subdirectories,
  }
}

/**
 * A cover for each directory inside `dir`: its own image file, else one of its tracks' (at any
 * depth). Two queries for all of them: one pair per directory cost 0.55 s for a folder of 8,000
 * album directories, for covers getIndexes does not even show.
 */
function subdirectoryCovers(db: Db, folderId: number, dir: string): Map<string, string> {
  const start = dir === '' ? 0 : dir.length + 1
  const childOf = (path: string) => path.slice(start).split('/', 1)[0] as string
  const covers = new Map<string, string>()
  const images = db.all<{ dir: string; cover_id: string }>(sql`SELECT t.dir, t.cover_id FROM dir_images t
    WHERE t.folder_id = ${folderId} AND ${under(dir)}`)
  for (const r of images) if (!r.dir.includes('/', start)) covers.set(childOf(r.dir), r.cover_id)
  const fromTracks = db.all<{
    dir: string
    cover: string
  }>(sql`SELECT t.dir, coalesce(t.cover_id, al.cover_id) AS cover
    FROM tracks t JOIN albums al ON al.id = t.album_id
    WHERE t.folder_id = ${folderId} AND t.missing_at IS NULL AND ${under(dir)}
      AND coalesce(t.cover_id, al.cover_id) IS NOT NULL GROUP BY t.dir`)
  for (const r of fromTracks) {
    const child = childOf(r.dir)
    if (!covers.has(child)) covers.set(child, r.cover)
  }
  return covers
}
