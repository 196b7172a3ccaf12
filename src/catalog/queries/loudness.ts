import { type SQL, sql } from 'drizzle-orm'
import {
  albumLoudness,
  type Gain,
  type GainOptions,
  type Loudness,
  normalizationGain,
  type ReplayGainTags,
} from '../../audio/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { inFolders } from './page.ts'

/** What a listener's player needs to play a track (or an album) at the target loudness. */
export interface LoudnessInfo extends Gain {
  /** EBU R128 analysis, null until it has run (the gain then comes from ReplayGain tags, if any). */
  integratedLufs: number | null
  rangeLu: number | null
  truePeakDbtp: number | null
}

export interface AlbumLoudnessInfo extends LoudnessInfo {
  /** Tracks analysed so far; the album's own figures need all of them. */
  analysedTracks: number
}

/** R128 gains are relative to −23 LUFS; ReplayGain's reference is 5 dB louder. */
const R128_TO_REPLAYGAIN_DB = 5

/** The file's ReplayGain tags as one gain to ReplayGain's −18 LUFS reference, R128 tags converted. */
export function replayGainOf(tags: {
  rgGain: number | null
  rgPeak: number | null
  r128Gain: number | null
}): ReplayGainTags | undefined {
  const gain = tags.rgGain ?? (tags.r128Gain === null ? null : tags.r128Gain + R128_TO_REPLAYGAIN_DB)
  return gain === null ? undefined : { gainDb: gain, peak: tags.rgPeak ?? undefined }
}

/**
 * The newest measurement of a track's audio, found by the catalog's payload hash, which the audio
 * domain files loudness under: a retagged or moved file keeps it. One indexed lookup per row.
 */
export const LOUDNESS_JOIN: SQL = sql`LEFT JOIN audio_loudness lo ON lo.rowid = (SELECT rowid FROM audio_loudness
  WHERE content_id = t.fingerprint ORDER BY measured_at DESC LIMIT 1)`
export const LOUDNESS_COLUMNS: SQL = sql`lo.integrated_lufs AS lo_lufs, lo.range_lu AS lo_lra,
  lo.true_peak_dbtp AS lo_peak`

type Row = Record<string, unknown>

const measuredOf = (r: Row): Loudness | undefined =>
  r.lo_lufs === null || r.lo_lufs === undefined
    ? undefined
    : {
        integratedLufs: r.lo_lufs as number,
        rangeLu: r.lo_lra as number,
        truePeakDbtp: r.lo_peak as number,
      }

function info(measured: Loudness | undefined, tags: ReplayGainTags | undefined, gain: GainOptions) {
  return {
    ...normalizationGain(measured, tags, gain),
    integratedLufs: measured?.integratedLufs ?? null,
    rangeLu: measured?.rangeLu ?? null,
    truePeakDbtp: measured?.truePeakDbtp ?? null,
  }
}

/** A track row (t.* with LOUDNESS_COLUMNS): analysis, else its ReplayGain tags, else nothing. */
export function trackLoudness(r: Row, gain: GainOptions): LoudnessInfo {
  const tags = replayGainOf({
    rgGain: r.rg_track_gain as number | null,
    rgPeak: r.rg_track_peak as number | null,
    r128Gain: r.r128_track_gain as number | null,
  })
  return info(measuredOf(r), tags, gain)
}

/**
 * An album's loudness: combined from its tracks once every one is analysed, else the album
 * ReplayGain tags its files carry, else nothing.
 */
export function albumLoudnessOf(
  db: Db,
  albumId: number,
  folderIds: readonly number[] | undefined,
  gain: GainOptions,
): AlbumLoudnessInfo {
  const rows = db.all<Row>(sql`SELECT t.duration, t.rg_album_gain, t.rg_album_peak, t.r128_album_gain,
      ${LOUDNESS_COLUMNS} FROM tracks t ${LOUDNESS_JOIN}
    WHERE t.album_id = ${albumId} AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, folderIds)}`)
  const measured = rows.flatMap((r) => {
    const m = measuredOf(r)
    return m ? [{ ...m, seconds: (r.duration as number | null) ?? 0 }] : []
  })
  const complete = rows.length > 0 && measured.length === rows.length
  const tagged = rows.find((r) => r.rg_album_gain !== null || r.r128_album_gain !== null)
  const tags = tagged
    ? replayGainOf({
        rgGain: tagged.rg_album_gain as number | null,
        rgPeak: tagged.rg_album_peak as number | null,
        r128Gain: tagged.r128_album_gain as number | null,
      })
    : undefined
  return {
    ...info(complete ? albumLoudness(measured) : undefined, tags, gain),
    analysedTracks: measured.length,
  }
}
