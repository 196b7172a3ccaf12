import { and, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm'
import { dirImages, musicFolders, scanProblems, trackAnnotations, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import type { WalkTarget } from './phase-1-walk.ts'
import { markMissing } from './phase-2-compare.ts'
import { deleteOrphans, refreshDirty } from './refresh.ts'

// Phase 5, after every directory of the scanned targets was seen: whatever the catalog holds
// under those targets but the walk did not find (a deleted or ignored directory) is marked
// missing. Then derived rows are brought up to date and leftovers removed. Missing tracks stay
// (with their stars and plays) so a file that comes back, or shows up elsewhere, is recognised;
// unannotated ones are purged after PURGE_AFTER_MS.

export const PURGE_AFTER_MS = 30 * 24 * 3600 * 1000

export interface SweepInput {
  targets: WalkTarget[]
  /** `${folderId}/${dir}` of every directory listed. */
  visited: Set<string>
  /** Directories that could not be read, and folders that were unreachable: left untouched. */
  protectedDirs: { folderId: number; dir: string }[]
}

const under = (dir: string, prefix: string) => prefix === '' || dir === prefix || dir.startsWith(`${prefix}/`)

export function sweep(db: Db, input: SweepInput, now: number): number[] {
  const removed: number[] = []
  const isProtected = (folderId: number, dir: string) =>
    input.protectedDirs.some((d) => d.folderId === folderId && under(dir, d.dir))
  const gone = (folderId: number, dir: string) =>
    !input.visited.has(`${folderId}/${dir}`) && !isProtected(folderId, dir)
  db.transaction(() => {
    for (const target of input.targets) {
      const prefix = target.dir
      const inTarget = sql`folder_id = ${target.folderId} AND (${prefix} = '' OR dir = ${prefix} OR substr(dir, 1, ${prefix.length + 1}) = ${`${prefix}/`})`
      const depth = target.recursive ? sql`1` : sql`dir = ${prefix}`
      const dirs = db.all<{ dir: string }>(
        sql`SELECT DISTINCT dir FROM tracks WHERE ${inTarget} AND ${depth} AND missing_at IS NULL`,
      )
      for (const { dir } of dirs) {
        if (!gone(target.folderId, dir)) continue
        const ids = db
          .select({ id: tracks.id })
          .from(tracks)
          .where(and(eq(tracks.folderId, target.folderId), eq(tracks.dir, dir), isNull(tracks.missingAt)))
          .all()
          .map((r) => r.id)
        markMissing(db, ids, now)
        removed.push(...ids)
      }
      for (const table of [scanProblems, dirImages]) {
        const rows = db.all<{ dir: string }>(
          sql`SELECT DISTINCT dir FROM ${table} WHERE ${inTarget} AND ${depth}`,
        )
        for (const { dir } of rows)
          if (gone(target.folderId, dir))
            db.delete(table)
              .where(and(eq(table.folderId, target.folderId), eq(table.dir, dir)))
              .run()
      }
    }
    // Folders dropped from the configuration: their tracks wait as missing, like deleted files.
    const inactive = db
      .select({ id: musicFolders.id })
      .from(musicFolders)
      .where(eq(musicFolders.active, false))
      .all()
    if (inactive.length > 0) {
      const ids = db
        .select({ id: tracks.id })
        .from(tracks)
        .where(
          and(
            inArray(
              tracks.folderId,
              inactive.map((f) => f.id),
            ),
            isNull(tracks.missingAt),
          ),
        )
        .all()
        .map((r) => r.id)
      markMissing(db, ids, now)
      removed.push(...ids)
    }
    db.delete(tracks)
      .where(
        and(
          lt(tracks.missingAt, now - PURGE_AFTER_MS),
          notExists(
            db.select({ one: sql`1` }).from(trackAnnotations).where(eq(trackAnnotations.trackId, tracks.id)),
          ),
        ),
      )
      .run()
    refreshDirty(db, now)
    deleteOrphans(db)
  })
  return removed
}
