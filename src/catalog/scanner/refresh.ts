import { sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'

// Albums and artists carry counts, durations, years and a cover derived from their tracks.
// Writers only flag rows dirty; this recomputes exactly the flagged ones, inside the writer's
// transaction, so browse results are right after every batch and a killed scan leaves the flags
// for the next one to finish.

const PRESENT = sql`t.album_id = albums.id AND t.missing_at IS NULL`

export function refreshDirty(db: Db, now: number): void {
  db.run(sql`UPDATE artists SET dirty = 1 WHERE dirty = 0 AND id IN (
    SELECT aa.artist_id FROM album_artists aa JOIN albums a ON a.id = aa.album_id WHERE a.dirty = 1)`)
  db.run(sql`DELETE FROM album_genres WHERE album_id IN (SELECT id FROM albums WHERE dirty = 1)`)
  db.run(sql`INSERT OR IGNORE INTO album_genres (album_id, genre_id)
    SELECT DISTINCT t.album_id, tg.genre_id FROM tracks t JOIN track_genres tg ON tg.track_id = t.id
    WHERE t.missing_at IS NULL AND t.album_id IN (SELECT id FROM albums WHERE dirty = 1)`)
  db.run(sql`UPDATE albums SET
    track_count = (SELECT count(*) FROM tracks t WHERE ${PRESENT}),
    duration = (SELECT coalesce(sum(t.duration), 0) FROM tracks t WHERE ${PRESENT}),
    disc_count = max(1, coalesce((SELECT max(coalesce(t.disc_no, 1), coalesce(t.disc_of, 1)) FROM tracks t WHERE ${PRESENT}
      ORDER BY 1 DESC LIMIT 1), 1)),
    year = (SELECT max(t.year) FROM tracks t WHERE ${PRESENT}),
    date = (SELECT max(t.date) FROM tracks t WHERE ${PRESENT}),
    original_year = (SELECT min(t.original_year) FROM tracks t WHERE ${PRESENT}),
    original_date = (SELECT min(t.original_date) FROM tracks t WHERE ${PRESENT}),
    compilation = coalesce((SELECT max(t.compilation) FROM tracks t WHERE ${PRESENT}), compilation),
    label = (SELECT t.label FROM tracks t WHERE ${PRESENT} AND t.label IS NOT NULL LIMIT 1),
    cover_id = coalesce(
      (SELECT d.cover_id FROM tracks t JOIN dir_images d ON d.folder_id = t.folder_id AND d.dir = t.dir
        WHERE ${PRESENT} ORDER BY t.disc_no, t.track_no LIMIT 1),
      (SELECT t.cover_id FROM tracks t WHERE ${PRESENT} AND t.cover_id IS NOT NULL ORDER BY t.disc_no, t.track_no LIMIT 1)),
    updated_at = ${now},
    dirty = 0
    WHERE dirty = 1`)
  db.run(sql`UPDATE artists SET
    album_count = (SELECT count(*) FROM album_artists aa JOIN albums a ON a.id = aa.album_id
      WHERE aa.artist_id = artists.id AND a.track_count > 0),
    track_count = (SELECT count(*) FROM track_artists ta JOIN tracks t ON t.id = ta.track_id
      WHERE ta.artist_id = artists.id AND ta.role = 'artist' AND t.missing_at IS NULL),
    dirty = 0
    WHERE dirty = 1`)
}

/** Rows nothing points at any more: run after a complete scan, never mid-way. */
export function deleteOrphans(db: Db): void {
  db.run(sql`DELETE FROM albums WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = albums.id)`)
  db.run(sql`DELETE FROM artists WHERE NOT EXISTS (SELECT 1 FROM track_artists ta WHERE ta.artist_id = artists.id)
    AND NOT EXISTS (SELECT 1 FROM album_artists aa WHERE aa.artist_id = artists.id)
    AND NOT EXISTS (SELECT 1 FROM albums a WHERE a.album_artist_id = artists.id)`)
  db.run(
    sql`DELETE FROM genres WHERE NOT EXISTS (SELECT 1 FROM track_genres tg WHERE tg.genre_id = genres.id)`,
  )
  db.run(sql`DELETE FROM covers WHERE NOT EXISTS (SELECT 1 FROM tracks t WHERE t.cover_id = covers.id)
    AND NOT EXISTS (SELECT 1 FROM dir_images d WHERE d.cover_id = covers.id)`)
}
