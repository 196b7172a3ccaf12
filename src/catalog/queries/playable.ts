import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'

/** What streaming needs of a track: where its file is, which folder grants it, and its format. */
export interface PlayableTrack {
  id: number
  path: string
  folderId: number
  durationMs?: number
  codec?: string
  lossless?: boolean
  sampleRate?: number
  /** dB to ReplayGain's −18 LUFS reference, and the linear sample peak, from the file's tags. */
  replayGain?: { gainDb: number; peak?: number }
}

/** R128 gains are relative to −23 LUFS; ReplayGain's reference is 5 dB louder. */
const R128_TO_REPLAYGAIN_DB = 5

// One indexed row per call: streaming asks on every playlist and segment request, to check the
// file is still there (present, in an active folder) and which folder grants it.
export function lookupPlayableTrack(db: Db, id: number): PlayableTrack | null {
  const row = db.all<{
    id: number
    folder_id: number
    root: string
    dir: string
    name: string
    duration: number | null
    codec: string | null
    lossless: number | null
    sample_rate: number | null
    rg_track_gain: number | null
    rg_track_peak: number | null
    r128_track_gain: number | null
  }>(
    sql`SELECT t.id, t.folder_id, f.path AS root, t.dir, t.name, t.duration, t.codec, t.lossless,
          t.sample_rate, t.rg_track_gain, t.rg_track_peak, t.r128_track_gain
        FROM tracks t JOIN music_folders f ON f.id = t.folder_id
        WHERE t.id = ${id} AND t.missing_at IS NULL AND f.active = 1`,
  )[0]
  if (!row) return null
  const gain =
    row.rg_track_gain ?? (row.r128_track_gain === null ? null : row.r128_track_gain + R128_TO_REPLAYGAIN_DB)
  return {
    id: row.id,
    path: join(row.root, row.dir, row.name),
    folderId: row.folder_id,
    durationMs: row.duration === null ? undefined : Math.round(row.duration * 1000),
    codec: row.codec ?? undefined,
    lossless: row.lossless === null ? undefined : row.lossless === 1,
    sampleRate: row.sample_rate ?? undefined,
    replayGain: gain === null ? undefined : { gainDb: gain, peak: row.rg_track_peak ?? undefined },
  }
}
