import { statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import { covers, dirImages, scanProblems, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { contentId } from './hash.ts'
import type { DirListing } from './phase-1-walk.ts'
import type { FileRef } from './types.ts'

// Phase 2: set one directory's listing against the catalog. Unchanged files (same size, mtime
// and .lrc mtime) are skipped without being opened; files that vanished are marked missing;
// the rest go to phase 3. The directory's cover image is checked here too.

const p = (name: string) => sql.placeholder(name)
const MAX_IMAGE_BYTES = 20 * 1024 * 1024
const DISC_DIR = /^(cd|disc|disk|side)\s*[-_.]?\s*\d+\b/i

export interface Comparison {
  toRead: FileRef[]
  unchanged: number
  /** Unchanged files already known as problems: still problems, not read again. */
  knownProblems: number
  /** Missing tracks whose unchanged file is back: present again without being read. */
  restored: number[]
  removed: number[]
}

interface Row {
  id: number
  name: string
  size: number
  mtime: number
  lrcMtime: number | null
  missingAt: number | null
}

const mtimeOf = (ms: number) => Math.trunc(ms)

export function createComparer(db: Db) {
  const rowsInDir = db
    .select({
      id: tracks.id,
      name: tracks.name,
      size: tracks.size,
      mtime: tracks.mtime,
      lrcMtime: tracks.lrcMtime,
      missingAt: tracks.missingAt,
    })
    .from(tracks)
    .where(and(eq(tracks.folderId, p('folderId')), eq(tracks.dir, p('dir'))))
    .prepare()
  const problemsInDir = db
    .select({ name: scanProblems.name, size: scanProblems.size, mtime: scanProblems.mtime })
    .from(scanProblems)
    .where(and(eq(scanProblems.folderId, p('folderId')), eq(scanProblems.dir, p('dir'))))
    .prepare()
  const imageOf = db
    .select()
    .from(dirImages)
    .where(and(eq(dirImages.folderId, p('folderId')), eq(dirImages.dir, p('dir'))))
    .prepare()

  // Synchronous, like the walk: one directory's files at a time.
  function statFile(listing: DirListing, name: string): FileRef | null {
    try {
      const s = statSync(join(listing.root, listing.dir, name))
      if (!s.isFile()) return null
      const lrcName = listing.lrc.get(basename(name, extname(name)).toLowerCase())
      const lrc = lrcName
        ? statSync(join(listing.root, listing.dir, lrcName), { throwIfNoEntry: false })
        : undefined
      return {
        folderId: listing.folderId,
        root: listing.root,
        dir: listing.dir,
        name,
        size: s.size,
        mtime: mtimeOf(s.mtimeMs),
        lrcMtime: lrc ? mtimeOf(lrc.mtimeMs) : null,
        known: false,
      }
    } catch {
      return null
    }
  }

  /** Picks the directory's cover file, or its parent's for a disc folder (Album/CD1, Album/CD2). */
  async function updateDirImage(listing: DirListing, now: number): Promise<void> {
    const key = { folderId: listing.folderId, dir: listing.dir }
    const current = imageOf.get(key) as typeof dirImages.$inferSelect | undefined
    let next: { name: string; size: number; mtime: number; coverId?: string } | null = null
    for (const name of listing.images) {
      const s = await stat(join(listing.root, listing.dir, name)).catch(() => null)
      if (s && s.size > 0 && s.size <= MAX_IMAGE_BYTES) {
        next = { name, size: s.size, mtime: mtimeOf(s.mtimeMs) }
        break
      }
    }
    if (!next && DISC_DIR.test(basename(listing.dir)) && listing.dir.includes('/')) {
      const parent = imageOf.get({
        folderId: listing.folderId,
        dir: listing.dir.slice(0, listing.dir.lastIndexOf('/')),
      }) as typeof dirImages.$inferSelect | undefined
      if (parent)
        next = { name: `../${parent.name}`, size: parent.size, mtime: parent.mtime, coverId: parent.coverId }
    }
    if (
      current &&
      next &&
      current.name === next.name &&
      current.size === next.size &&
      current.mtime === next.mtime
    )
      return
    if (!current && !next) return
    let coverId = next?.coverId
    let mime = 'image/jpeg'
    if (next && !coverId) {
      const data = await readFile(join(listing.root, listing.dir, next.name)).catch(() => null)
      if (!data) next = null
      else {
        coverId = contentId(data)
        mime =
          extname(next.name).toLowerCase() === '.png'
            ? 'image/png'
            : extname(next.name).toLowerCase() === '.webp'
              ? 'image/webp'
              : 'image/jpeg'
      }
    }
    db.transaction(() => {
      if (next && coverId) {
        db.insert(covers)
          .values({ id: coverId, mime, bytes: next.size, createdAt: now })
          .onConflictDoNothing()
          .run()
        db.insert(dirImages)
          .values({ ...key, name: next.name, size: next.size, mtime: next.mtime, coverId })
          .onConflictDoUpdate({
            target: [dirImages.folderId, dirImages.dir],
            set: { name: next.name, size: next.size, mtime: next.mtime, coverId },
          })
          .run()
      } else {
        db.delete(dirImages)
          .where(and(eq(dirImages.folderId, key.folderId), eq(dirImages.dir, key.dir)))
          .run()
      }
      db.run(
        sql`UPDATE albums SET dirty = 1 WHERE id IN (SELECT album_id FROM tracks WHERE folder_id = ${key.folderId} AND dir = ${key.dir})`,
      )
    })
  }

  return async function compare(listing: DirListing, full: boolean, now: number): Promise<Comparison> {
    await updateDirImage(listing, now)
    const files = listing.files.map((name) => statFile(listing, name)).filter((f): f is FileRef => f !== null)
    const key = { folderId: listing.folderId, dir: listing.dir }
    const rows = new Map<string, Row>()
    // A present row wins over a missing one left at the same path.
    for (const r of rowsInDir.all(key) as Row[])
      if (!rows.has(r.name) || r.missingAt === null) rows.set(r.name, r)
    const problems = new Map(
      (problemsInDir.all(key) as { name: string; size: number; mtime: number }[]).map((r) => [r.name, r]),
    )
    const result: Comparison = { toRead: [], unchanged: 0, knownProblems: 0, restored: [], removed: [] }
    const restore: number[] = []
    const seen = new Set<string>()
    for (const f of files) {
      seen.add(f.name)
      const row = rows.get(f.name)
      f.known = row !== undefined || problems.has(f.name)
      const same = row && row.size === f.size && row.mtime === f.mtime && row.lrcMtime === f.lrcMtime
      const problem = problems.get(f.name)
      if (full) result.toRead.push(f)
      else if (same && row.missingAt === null) result.unchanged++
      else if (same) restore.push(row.id)
      else if (!row && problem && problem.size === f.size && problem.mtime === f.mtime) result.knownProblems++
      else result.toRead.push(f)
    }
    for (const r of rows.values()) if (r.missingAt === null && !seen.has(r.name)) result.removed.push(r.id)
    const staleProblems = [...problems.keys()].filter((name) => !seen.has(name))
    if (restore.length + result.removed.length + staleProblems.length > 0) {
      db.transaction(() => {
        markMissing(db, result.removed, now)
        for (const id of restore) {
          db.update(tracks).set({ missingAt: null }).where(eq(tracks.id, id)).run()
          db.run(sql`UPDATE albums SET dirty = 1 WHERE id = (SELECT album_id FROM tracks WHERE id = ${id})`)
          db.run(
            sql`UPDATE artists SET dirty = 1 WHERE id IN (SELECT artist_id FROM track_artists WHERE track_id = ${id})`,
          )
        }
        for (const name of staleProblems)
          db.delete(scanProblems)
            .where(
              and(
                eq(scanProblems.folderId, key.folderId),
                eq(scanProblems.dir, key.dir),
                eq(scanProblems.name, name),
              ),
            )
            .run()
      })
      result.restored = restore
    }
    return result
  }
}

/** Marks tracks missing and their albums and artists dirty; the rows wait for the files to return. */
export function markMissing(db: Db, ids: readonly number[], now: number): void {
  for (const id of ids) {
    db.update(tracks)
      .set({ missingAt: now })
      .where(and(eq(tracks.id, id), sql`${tracks.missingAt} IS NULL`))
      .run()
    db.run(sql`UPDATE albums SET dirty = 1 WHERE id = (SELECT album_id FROM tracks WHERE id = ${id})`)
    db.run(
      sql`UPDATE artists SET dirty = 1 WHERE id IN (SELECT artist_id FROM track_artists WHERE track_id = ${id})`,
    )
  }
}
