import { basename } from 'node:path'
import { eq, notInArray } from 'drizzle-orm'
import { musicFolders } from '../db/schema/index.ts'
import type { Db } from '../platform/sqlite.ts'

export type MusicFolder = typeof musicFolders.$inferSelect

// Makes the table match the configured folders: new paths are added, known ones reactivated,
// and folders no longer configured are marked inactive rather than deleted.
export function syncMusicFolders(db: Db, paths: readonly string[]): MusicFolder[] {
  return db.transaction((tx) => {
    for (const path of paths) {
      tx.insert(musicFolders)
        .values({ path, name: basename(path) || path })
        .onConflictDoUpdate({ target: musicFolders.path, set: { active: true } })
        .run()
    }
    const stale = tx.update(musicFolders).set({ active: false })
    if (paths.length > 0) stale.where(notInArray(musicFolders.path, [...paths])).run()
    else stale.run()
    return tx.select().from(musicFolders).where(eq(musicFolders.active, true)).all()
  })
}

export function listMusicFolders(db: Db): MusicFolder[] {
  return db.select().from(musicFolders).where(eq(musicFolders.active, true)).all()
}
