import { eq, sql } from 'drizzle-orm'
import type { TrackSummary } from '../catalog/index.ts'
import { playlists } from '../db/schema/index.ts'
import { invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { entryCalls } from './entries.ts'
import { exportPlaylist } from './export.ts'
import { keysBetween } from './order.ts'
import {
  deleteEntries,
  editable,
  insertEntries,
  listRows,
  mayEdit,
  mayEditEntries,
  type PlaylistRow,
  readable,
} from './store.ts'
import {
  type EntrySelection,
  type ExportedPlaylist,
  type ExportFormat,
  LIMITS,
  type NewPlaylist,
  type PlaylistDetail,
  type PlaylistPatch,
  type PlaylistSummary,
  type PublishChange,
  type Viewer,
} from './types.ts'

export interface PlaylistsDeps {
  db: Db
  /** Summaries of the present tracks among `ids` in the given folders (the catalog's trackSummaries). */
  trackSummaries: (ids: readonly number[], folderIds: readonly number[]) => Map<number, TrackSummary>
  /** Told after every committed change; the composition root forwards it to the live-update hub. */
  publish?: PublishChange
  now?: () => number
}

const iso = (ms: number) => new Date(ms).toISOString()

function summaryOf(viewer: Viewer, row: PlaylistRow, entries: number, duration: number): PlaylistSummary {
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    owner: { id: row.owner_id, username: row.username },
    public: row.public === 1,
    collaborative: row.collaborative === 1,
    entryCount: entries,
    duration: Math.round(duration * 1000) / 1000,
    createdAt: iso(row.created_at),
    changedAt: iso(row.changed_at),
    editable: mayEdit(viewer, row),
    tracksEditable: mayEditEntries(viewer, row),
  }
}

function checkText(field: 'name' | 'comment', value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (field === 'name' && text === '') throw invalid('name: must not be empty', { field })
  if (text.length > LIMITS[field]) throw invalid(`${field}: at most ${LIMITS[field]} characters`, { field })
  return text
}

/** Playlists: ordered CRUD with owner/admin edits, public reading, and folder grants on every entry. */
export function createPlaylists(deps: PlaylistsDeps) {
  const { db } = deps
  const now = deps.now ?? Date.now

  /** Track ids the viewer may add: present, in their folders; else 400 naming the first bad one. */
  function checkTracks(viewer: Viewer, trackIds: readonly number[], field: string): void {
    if (trackIds.length > LIMITS.entries)
      throw invalid(`${field}: at most ${LIMITS.entries} tracks at once`, { field })
    const found = deps.trackSummaries(
      trackIds.filter((id) => Number.isSafeInteger(id) && id > 0),
      viewer.folderIds,
    )
    trackIds.forEach((id, i) => {
      if (!found.has(id))
        throw invalid(`${field}[${i}]: there is no track ${id} you may see`, { field: `${field}[${i}]` })
    })
  }

  function checkRoom(total: number, adding: number): void {
    if (total + adding > LIMITS.entries)
      throw invalid(`a playlist holds at most ${LIMITS.entries} entries`, { field: 'trackIds' })
  }

  function touch(id: number, at: number, fields: Partial<typeof playlists.$inferInsert> = {}): void {
    db.update(playlists)
      .set({ ...fields, changedAt: at })
      .where(eq(playlists.id, id))
      .run()
  }

  function announce(row: PlaylistRow, change: 'created' | 'updated' | 'deleted', wasPublic: boolean) {
    const isPublic = change !== 'deleted' && readableByAll(row.id)
    deps.publish?.(
      { playlistId: row.id, change, ownerId: row.owner_id },
      wasPublic || isPublic ? undefined : { userIds: [row.owner_id] },
    )
  }
  const readableByAll = (id: number) =>
    db.all<{ public: number }>(sql`SELECT public FROM playlists WHERE id = ${id}`)[0]?.public === 1

  /** The playlist's summary as the viewer sees it: one aggregate query, however long the playlist. */
  function summary(viewer: Viewer, id: number): PlaylistSummary {
    const r = listRows(db, viewer, undefined, id)[0]
    if (!r) throw notFound(`playlist ${id}`)
    return summaryOf(viewer, r, r.entries, r.duration)
  }

  // Runs a change in one transaction, then tells subscribers. Changes answer with the summary, not
  // the entries: a Subsonic client never reads them back, and listing 10,000 entries costs more
  // than the change (the REST layer asks for them).
  function change(
    viewer: Viewer,
    id: number,
    what: 'all' | 'entries',
    apply: (entries: ReturnType<typeof entryCalls>, at: number) => void,
  ): PlaylistSummary {
    let row!: PlaylistRow
    db.transaction(() => {
      row = editable(db, viewer, id, what)
      const at = now()
      apply(entryCalls(db, viewer, id), at)
      touch(id, at)
    })
    announce(row, 'updated', row.public === 1)
    return summary(viewer, id)
  }

  function get(viewer: Viewer, id: number): PlaylistDetail {
    const row = readable(db, viewer, id)
    const visible = entryCalls(db, viewer, id).visibleEntries()
    const tracks = deps.trackSummaries(
      visible.map((e) => e.trackId),
      viewer.folderIds,
    )
    const entries = visible.flatMap((e) => {
      const track = tracks.get(e.trackId)
      const addedBy =
        e.addedBy !== null && e.addedByName !== null ? { id: e.addedBy, username: e.addedByName } : null
      return track ? [{ entryId: e.id, trackId: e.trackId, addedAt: iso(e.addedAt), addedBy, track }] : []
    })
    const duration = entries.reduce((sum, e) => sum + (e.track.duration ?? 0), 0)
    return {
      ...summaryOf(viewer, row, entries.length, duration),
      entries: entries.map((e, index) => ({ ...e, index })),
    }
  }

  /**
   * Keys for `count` entries placed at `index` of the list the viewer sees: right before the entry
   * there (after any hidden ones before it), or after every entry for the end (or no index).
   */
  function keysAt(
    entries: ReturnType<typeof entryCalls>,
    index: number | undefined,
    count: number,
    field = 'index',
  ): string[] {
    if (index !== undefined) {
      const anchor =
        Number.isSafeInteger(index) && index >= 0 ? entries.atIndexes([index]).get(index) : undefined
      if (anchor) return keysBetween(entries.keyBefore(anchor.position), anchor.position, count)
      // No entry there: fine if it is the end of the list, else out of range.
      const n = entries.visibleCount()
      if (index !== n) throw invalid(`${field}: must be from 0 to ${n}`, { field })
    }
    return keysBetween(entries.lastKey(), null, count)
  }

  return {
    /** The viewer's playlists and others' public ones (yours first), or one owner's that the viewer may see. */
    list(viewer: Viewer, opts: { ownerId?: number } = {}): PlaylistSummary[] {
      return listRows(db, viewer, opts.ownerId).map((r) => summaryOf(viewer, r, r.entries, r.duration))
    },

    /** One playlist with its entries as the viewer sees them. */
    get,

    /** One playlist without its entries (counts and duration as the viewer sees them). */
    summary(viewer: Viewer, id: number): PlaylistSummary {
      readable(db, viewer, id)
      return summary(viewer, id)
    },

    create(viewer: Viewer, input: NewPlaylist): PlaylistSummary {
      const name = checkText('name', input.name) as string
      const comment = checkText('comment', input.comment) ?? ''
      const trackIds = input.trackIds ?? []
      checkTracks(viewer, trackIds, 'trackIds')
      let id = 0
      db.transaction(() => {
        const at = now()
        const created = db
          .insert(playlists)
          .values({
            ownerId: viewer.userId,
            name,
            comment,
            public: (input.public ?? false) || (input.collaborative ?? false),
            collaborative: input.collaborative ?? false,
            createdAt: at,
            changedAt: at,
          })
          .returning({ id: playlists.id })
          .get()
        id = created.id
        insertEntries(db, id, trackIds, keysBetween(null, null, trackIds.length), at, viewer.userId)
      })
      deps.publish?.(
        { playlistId: id, change: 'created', ownerId: viewer.userId },
        input.public || input.collaborative ? undefined : { userIds: [viewer.userId] },
      )
      return summary(viewer, id)
    },

    /** Name, comment, public flag, and Subsonic's updatePlaylist (remove by index, then append) in one transaction. */
    update(viewer: Viewer, id: number, patch: PlaylistPatch): PlaylistSummary {
      const name = checkText('name', patch.name)
      const comment = checkText('comment', patch.comment)
      if (patch.addTrackIds) checkTracks(viewer, patch.addTrackIds, 'addTrackIds')
      // A collaborator's Subsonic updatePlaylist touches only tracks; anything else is the owner's.
      const onlyTracks =
        name === undefined &&
        comment === undefined &&
        patch.public === undefined &&
        patch.collaborative === undefined
      return change(viewer, id, onlyTracks ? 'entries' : 'all', (entries, at) => {
        const fields: Partial<typeof playlists.$inferInsert> = {}
        if (name !== undefined) fields.name = name
        if (comment !== undefined) fields.comment = comment
        if (patch.public !== undefined) fields.public = patch.public
        if (patch.public === false) fields.collaborative = false
        if (patch.collaborative !== undefined) fields.collaborative = patch.collaborative
        if (patch.collaborative === true) {
          if (patch.public === false)
            throw invalid(
              'collaborative: a collaborative playlist is public; do not make it private at once',
              {
                field: 'collaborative',
              },
            )
          fields.public = true
        }
        touch(id, at, fields)
        if (patch.removeIndexes?.length) {
          const removed = entries.select({ indexes: patch.removeIndexes })
          deleteEntries(
            db,
            removed.map((e) => e.id),
          )
        }
        const adding = patch.addTrackIds ?? []
        if (adding.length > 0) {
          checkRoom(entries.total(), adding.length)
          insertEntries(
            db,
            id,
            adding,
            keysBetween(entries.lastKey(), null, adding.length),
            at,
            viewer.userId,
          )
        }
      })
    },

    /** Inserts tracks at `index` of the list as the viewer sees it (the end when left out); duplicates are fine. */
    addTracks(viewer: Viewer, id: number, trackIds: readonly number[], index?: number): PlaylistSummary {
      if (trackIds.length === 0) throw invalid('trackIds: name at least one track', { field: 'trackIds' })
      checkTracks(viewer, trackIds, 'trackIds')
      return change(viewer, id, 'entries', (entries, at) => {
        checkRoom(entries.total(), trackIds.length)
        insertEntries(db, id, trackIds, keysAt(entries, index, trackIds.length), at, viewer.userId)
      })
    },

    removeEntries(viewer: Viewer, id: number, selection: EntrySelection): PlaylistSummary {
      if (!selection.entryIds?.length && !selection.indexes?.length)
        throw invalid('entryIds: name at least one entry (entryIds or indexes)', { field: 'entryIds' })
      return change(viewer, id, 'entries', (entries) => {
        deleteEntries(
          db,
          entries.select(selection).map((e) => e.id),
        )
      })
    },

    /**
     * Moves entries, in the order given, so that the first lands at `to` of the list without them.
     * Only the moved rows are written.
     */
    moveEntries(viewer: Viewer, id: number, entryIds: readonly number[], to: number): PlaylistSummary {
      if (entryIds.length === 0) throw invalid('entryIds: name at least one entry', { field: 'entryIds' })
      if (new Set(entryIds).size !== entryIds.length)
        throw invalid('entryIds: an entry may be named only once', { field: 'entryIds' })
      return change(viewer, id, 'entries', (entries) => {
        const moved = entries.select({ entryIds })
        // Parked first, so neither the count nor the neighbours below include the moved rows, and
        // no new key can collide with the old key of another moved row.
        entries.park(moved)
        const keys = keysAt(entries, to, moved.length, 'to')
        moved.forEach((e, i) => {
          db.run(sql`UPDATE playlist_entries SET position = ${keys[i] as string} WHERE id = ${e.id}`)
        })
      })
    },

    /** Replaces every entry (Subsonic's createPlaylist with a playlistId); kept hidden entries go too. */
    replaceTracks(viewer: Viewer, id: number, trackIds: readonly number[]): PlaylistSummary {
      checkTracks(viewer, trackIds, 'trackIds')
      // Wiping everyone's additions is the owner's call, even on a collaborative playlist.
      return change(viewer, id, 'all', (_entries, at) => {
        db.run(sql`DELETE FROM playlist_entries WHERE playlist_id = ${id}`)
        insertEntries(db, id, trackIds, keysBetween(null, null, trackIds.length), at, viewer.userId)
      })
    },

    delete(viewer: Viewer, id: number): void {
      let row!: PlaylistRow
      db.transaction(() => {
        row = editable(db, viewer, id)
        db.delete(playlists).where(eq(playlists.id, id)).run()
      })
      announce(row, 'deleted', row.public === 1)
    },

    export(viewer: Viewer, id: number, format: ExportFormat): ExportedPlaylist {
      return exportPlaylist(db, viewer, readable(db, viewer, id), format)
    },
  }
}

export type Playlists = ReturnType<typeof createPlaylists>
