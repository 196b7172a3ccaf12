import { sql } from 'drizzle-orm'
import { isAdmin } from '../accounts/index.ts'
import { idSet, inFolders } from '../catalog/index.ts'
import { playlistEntries } from '../db/schema/index.ts'
import { forbidden, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { Viewer } from './types.ts'

// The rows behind the playlists domain and the two questions every call asks first: may this
// viewer read the playlist, and may they change it.

export interface PlaylistRow {
  id: number
  owner_id: number
  username: string
  name: string
  comment: string
  public: number
  collaborative: number
  created_at: number
  changed_at: number
}

const PLAYLIST = sql`SELECT p.id, p.owner_id, u.username, p.name, p.comment, p.public, p.collaborative, p.created_at, p.changed_at
  FROM playlists p JOIN users u ON u.id = p.owner_id`

export const mayEdit = (viewer: Viewer, row: Pick<PlaylistRow, 'owner_id'>) =>
  row.owner_id === viewer.userId || isAdmin(viewer)

/** Tracks of a collaborative playlist are everyone's to add, move and remove; the rest stays the owner's. */
export const mayEditEntries = (viewer: Viewer, row: Pick<PlaylistRow, 'owner_id' | 'collaborative'>) =>
  row.collaborative === 1 || mayEdit(viewer, row)

/** A playlist the viewer may read — theirs, a public one, or any for an admin — else 404, as if it did not exist. */
export function readable(db: Db, viewer: Viewer, id: number): PlaylistRow {
  const row = db.all<PlaylistRow>(sql`${PLAYLIST} WHERE p.id = ${id}`)[0]
  if (!row || !(row.public === 1 || mayEdit(viewer, row))) throw notFound(`playlist ${id}`)
  return row
}

/**
 * A playlist the viewer may change — all of it, or (`entries`) only its tracks: a public playlist
 * of someone else is 403, a private one 404.
 */
export function editable(db: Db, viewer: Viewer, id: number, what: 'all' | 'entries' = 'all'): PlaylistRow {
  const row = readable(db, viewer, id)
  if (what === 'entries' ? !mayEditEntries(viewer, row) : !mayEdit(viewer, row))
    throw forbidden(
      row.collaborative === 1
        ? `only its owner (${row.username}) may rename, replace or delete collaborative playlist ${id}`
        : `only its owner (${row.username}) may change playlist ${id}`,
    )
  return row
}

/** Summaries with the viewer's entry counts and durations; `only` narrows to one playlist (unchecked: the caller checked). */
export function listRows(db: Db, viewer: Viewer, ownerId: number | undefined, only?: number) {
  const mine = ownerId === undefined || ownerId === viewer.userId
  const filter =
    only !== undefined
      ? sql`p.id = ${only}`
      : ownerId === undefined
        ? sql`(p.owner_id = ${viewer.userId} OR p.public = 1)`
        : mine || isAdmin(viewer)
          ? sql`p.owner_id = ${ownerId}`
          : sql`p.owner_id = ${ownerId} AND p.public = 1`
  return db.all<PlaylistRow & { entries: number; duration: number }>(sql`SELECT p.id, p.owner_id, u.username,
      p.name, p.comment, p.public, p.collaborative, p.created_at, p.changed_at,
      count(t.id) AS entries, coalesce(sum(t.duration), 0) AS duration
    FROM playlists p JOIN users u ON u.id = p.owner_id
      LEFT JOIN playlist_entries e ON e.playlist_id = p.id
      LEFT JOIN tracks t ON t.id = e.track_id AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, viewer.folderIds)}
    WHERE ${filter}
    GROUP BY p.id ORDER BY p.owner_id <> ${viewer.userId}, lower(p.name), p.id`)
}

export function insertEntries(
  db: Db,
  playlistId: number,
  trackIds: readonly number[],
  keys: readonly string[],
  at: number,
  addedBy: number,
): void {
  for (let i = 0; i < trackIds.length; i += 500) {
    db.insert(playlistEntries)
      .values(
        trackIds.slice(i, i + 500).map((trackId, j) => ({
          playlistId,
          trackId,
          position: keys[i + j] as string,
          addedAt: at,
          addedBy,
        })),
      )
      .run()
  }
}

export function deleteEntries(db: Db, ids: readonly number[]): void {
  if (ids.length > 0) db.run(sql`DELETE FROM playlist_entries WHERE id IN ${idSet(ids)}`)
}
