import { join } from 'node:path'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { musicFolders, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { replayGainOf } from './loudness.ts'

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
  /** The hash of the audio payload: the audio domain finds loudness measured before a retag or move by it. */
  contentId: string
}

/**
 * One indexed row per call, from a statement prepared once: streaming asks on every playlist and
 * segment request whether the file is still there (present, in an active folder) and which folder
 * grants it, so building and preparing the SQL each time (26 µs, measured) would dominate the
 * cost of serving a cached segment.
 */
export function preparePlayableLookup(db: Db): (id: number) => PlayableTrack | null {
  const statement = db
    .select({
      id: tracks.id,
      folderId: tracks.folderId,
      root: musicFolders.path,
      dir: tracks.dir,
      name: tracks.name,
      duration: tracks.duration,
      codec: tracks.codec,
      lossless: tracks.lossless,
      sampleRate: tracks.sampleRate,
      rgTrackGain: tracks.rgTrackGain,
      rgTrackPeak: tracks.rgTrackPeak,
      r128TrackGain: tracks.r128TrackGain,
      fingerprint: tracks.fingerprint,
    })
    .from(tracks)
    .innerJoin(musicFolders, eq(musicFolders.id, tracks.folderId))
    .where(and(eq(tracks.id, sql.placeholder('id')), isNull(tracks.missingAt), eq(musicFolders.active, true)))
    .prepare()
  return (id) => {
    const row = statement.get({ id })
    if (!row) return null
    const replayGain = replayGainOf({
      rgGain: row.rgTrackGain,
      rgPeak: row.rgTrackPeak,
      r128Gain: row.r128TrackGain,
    })
    return {
      id: row.id,
      path: join(row.root, row.dir, row.name),
      folderId: row.folderId,
      durationMs: row.duration === null ? undefined : Math.round(row.duration * 1000),
      codec: row.codec ?? undefined,
      lossless: row.lossless ?? undefined,
      sampleRate: row.sampleRate ?? undefined,
      replayGain,
      contentId: row.fingerprint,
    }
  }
}
