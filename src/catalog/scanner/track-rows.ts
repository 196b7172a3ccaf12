import { eq, sql } from 'drizzle-orm'
import { lyrics, trackArtists, trackGenres, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { sortKeyOf } from '../normalize.ts'
import type { ReadOutcome } from './types.ts'

// The track row the writer stores for a read file, and the statements that store it, prepared
// once per scan: building and preparing SQL per track cost more than executing it (measured).

const p = (name: string) => sql.placeholder(name)

const TRACK_COLUMNS = (
  'folderId dir name size mtime lrcMtime fingerprint missingAt title sortKey albumId artist albumArtist ' +
  'composer trackNo trackOf discNo discOf discSubtitle year date originalYear originalDate compilation ' +
  'duration bitrate sampleRate bitDepth channels codec container lossless rgTrackGain rgTrackPeak ' +
  'rgAlbumGain rgAlbumPeak r128TrackGain r128AlbumGain mbRecordingId mbReleaseTrackId mbAlbumId ' +
  'mbArtistId mbAlbumArtistId isrc bpm label comment coverId updatedAt'
).split(' ')

export function trackRow(
  o: Extract<ReadOutcome, { kind: 'track' }>,
  albumId: number,
  coverId: string | null,
  now: number,
) {
  const { file, tags: t } = o
  return {
    folderId: file.folderId,
    dir: file.dir,
    name: file.name,
    size: file.size,
    mtime: file.mtime,
    lrcMtime: file.lrcMtime,
    fingerprint: o.fingerprint,
    missingAt: null,
    title: t.title,
    sortKey: sortKeyOf(t.titleSort ?? t.title),
    albumId,
    artist: t.artist,
    albumArtist: t.albumArtist,
    composer: t.composer,
    trackNo: t.trackNo,
    trackOf: t.trackOf,
    discNo: t.discNo,
    discOf: t.discOf,
    discSubtitle: t.discSubtitle,
    year: t.year,
    date: t.date,
    originalYear: t.originalYear,
    originalDate: t.originalDate,
    compilation: t.compilation ? 1 : 0,
    duration: t.duration,
    bitrate: t.bitrate,
    sampleRate: t.sampleRate,
    bitDepth: t.bitDepth,
    channels: t.channels,
    codec: t.codec,
    container: t.container,
    lossless: t.lossless === null ? null : t.lossless ? 1 : 0,
    rgTrackGain: t.rgTrackGain,
    rgTrackPeak: t.rgTrackPeak,
    rgAlbumGain: t.rgAlbumGain,
    rgAlbumPeak: t.rgAlbumPeak,
    r128TrackGain: t.r128TrackGain,
    r128AlbumGain: t.r128AlbumGain,
    mbRecordingId: t.mbRecordingId,
    mbReleaseTrackId: t.mbReleaseTrackId,
    mbAlbumId: t.mbAlbumId,
    mbArtistId: t.mbArtistIds[0] ?? null,
    mbAlbumArtistId: t.mbAlbumArtistIds[0] ?? null,
    isrc: t.isrc,
    bpm: t.bpm,
    label: t.label,
    comment: t.comment,
    coverId,
    updatedAt: now,
  }
}

export function prepareTrackStatements(db: Db) {
  const placeholders = Object.fromEntries(TRACK_COLUMNS.map((c) => [c, p(c)]))
  return {
    insertTrack: db
      .insert(tracks)
      .values({ ...placeholders, createdAt: p('updatedAt') } as never)
      .returning({ id: tracks.id })
      .prepare(),
    updateTrack: db
      .update(tracks)
      .set(placeholders as never)
      .where(eq(tracks.id, p('id')))
      .prepare(),
    markTrackMissing: db
      .update(tracks)
      .set({ missingAt: p('now') as never })
      .where(eq(tracks.id, p('id')))
      .prepare(),
    deleteArtistsOf: db
      .delete(trackArtists)
      .where(eq(trackArtists.trackId, p('id')))
      .prepare(),
    deleteGenresOf: db
      .delete(trackGenres)
      .where(eq(trackGenres.trackId, p('id')))
      .prepare(),
    deleteLyricsOf: db
      .delete(lyrics)
      .where(eq(lyrics.trackId, p('id')))
      .prepare(),
    insertArtistOf: db
      .insert(trackArtists)
      .values({ trackId: p('trackId'), artistId: p('artistId'), role: p('role'), position: p('position') })
      .prepare(),
    insertGenreOf: db
      .insert(trackGenres)
      .values({ trackId: p('trackId'), genreId: p('genreId'), position: p('position') })
      .prepare(),
    insertLyric: db
      .insert(lyrics)
      .values({
        trackId: p('trackId'),
        source: p('source'),
        synced: p('synced'),
        lang: p('lang'),
        text: p('text'),
      })
      .prepare(),
  }
}
