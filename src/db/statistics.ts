import { sql } from 'drizzle-orm'
import type { Db } from '../platform/sqlite.ts'

/**
 * SQLite chooses its plans from table statistics (ANALYZE). Without them it takes an equality on
 * any indexed column for a selective one: `folder_id IN (1)` made a page of 50 tracks of a 100k
 * library read and sort all of them through the folder index (37 ms instead of 0.4 ms), and the
 * genre counts took 443 ms instead of 127. A full ANALYZE reads every index once (52 ms at 100k
 * tracks). A sampled one (`analysis_limit`) misjudged folder_id on the same library and made
 * plans worse, so it is full, and it runs only when the library has grown or shrunk by a tenth
 * since the statistics were taken (or there are none yet): the catalog calls this on opening and
 * after every scan that changed something.
 *
 * Returns whether it analysed.
 */
export function refreshStatistics(db: Db): boolean {
  const tracks = db.all<{ n: number }>(sql`SELECT count(*) AS n FROM tracks`)[0]?.n ?? 0
  if (tracks === 0) return false
  const hasStats = db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`,
  )[0]?.n
  const analysed = hasStats ? analysedTracks(db) : 0
  if (analysed > 0 && Math.abs(tracks - analysed) * 10 < analysed) return false
  db.run(sql`ANALYZE`)
  return true
}

/**
 * The tracks counted when the statistics were taken: each index's row of sqlite_stat1 starts with
 * the rows it covered, the table's count for a full index (fewer for a partial one).
 */
export function analysedTracks(db: Db): number {
  return (
    db.all<{ n: number | null }>(
      sql`SELECT max(CAST(stat AS INTEGER)) AS n FROM sqlite_stat1 WHERE tbl = 'tracks'`,
    )[0]?.n ?? 0
  )
}
