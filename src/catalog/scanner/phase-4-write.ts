import { statSync } from 'node:fs'
import { and, eq, sql } from 'drizzle-orm'
import { albums, artists, scanProblems, tracks } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { createEntities } from './entities.ts'
import { refreshDirty } from './refresh.ts'
import { prepareTrackStatements, trackRow } from './track-rows.ts'
import { absolutePath, type FileRef, type ReadOutcome } from './types.ts'

// Phase 4: write what phase 3 read, a batch per transaction. A kill -9 loses at most the batch
// in flight; those files still differ from the catalog (size/mtime) and are read again next time.

const p = (name: string) => sql.placeholder(name)
const MAX_MOVE_CANDIDATES = 16

export interface BatchChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

interface Candidate {
  id: number
  folderId: number
  dir: string
  name: string
  size: number
  mtime: number
  missingAt: number | null
  root: string
}

export function createWriter(db: Db, roots: Map<number, string>) {
  const entities = createEntities(db)
  const byPath = db
    .select({
      id: tracks.id,
      fingerprint: tracks.fingerprint,
      missingAt: tracks.missingAt,
      albumId: tracks.albumId,
    })
    .from(tracks)
    .where(and(eq(tracks.folderId, p('folderId')), eq(tracks.dir, p('dir')), eq(tracks.name, p('name'))))
    .orderBy(sql`${tracks.missingAt} IS NOT NULL`)
    .prepare()
  const byFingerprint = db
    .select({
      id: tracks.id,
      folderId: tracks.folderId,
      dir: tracks.dir,
      name: tracks.name,
      size: tracks.size,
      mtime: tracks.mtime,
      missingAt: tracks.missingAt,
    })
    .from(tracks)
    .where(eq(tracks.fingerprint, p('fingerprint')))
    // Missing rows first (no stat needed); a bound, because a library may hold the same file
    // hundreds of times and each present candidate costs a stat.
    .orderBy(sql`${tracks.missingAt} IS NULL`)
    .limit(MAX_MOVE_CANDIDATES)
    .prepare()
  const dirtyArtistsOf = db
    .update(artists)
    .set({ dirty: true })
    .where(sql`${artists.id} IN (SELECT artist_id FROM track_artists WHERE track_id = ${p('trackId')})`)
    .prepare()
  const markAlbumDirty = db
    .update(albums)
    .set({ dirty: true })
    .where(eq(albums.id, p('id')))
    .prepare()
  const deleteProblem = db
    .delete(scanProblems)
    .where(
      and(
        eq(scanProblems.folderId, p('folderId')),
        eq(scanProblems.dir, p('dir')),
        eq(scanProblems.name, p('name')),
      ),
    )
    .prepare()

  const stmt = prepareTrackStatements(db)

  /** The file at the old path is gone, or changed and will be identified on its own. */
  function vacated(c: Candidate): boolean {
    if (c.missingAt !== null) return true
    try {
      const s = statSync(absolutePath({ root: c.root, dir: c.dir, name: c.name }))
      return s.size !== c.size || Math.trunc(s.mtimeMs) !== c.mtime
    } catch {
      return true
    }
  }

  // The list travels as one JSON parameter, so the statement is prepared once: built per batch
  // with an IN list, drizzle's query building and SQLite's prepare were ~14 % of this thread.
  const cataloguedOf = db
    .selectDistinct({ fingerprint: tracks.fingerprint })
    .from(tracks)
    .where(sql`${tracks.fingerprint} IN (SELECT value FROM json_each(${p('fingerprints')}))`)
    .prepare()

  /**
   * Which of these fingerprints the catalog may hold: one query per batch instead of one per
   * file, since most files (all of them in a first scan) have none and a query each was a fifth
   * of the write phase (measured). A superset is fine: it only costs a lookup.
   */
  function fingerprintsIn(batch: ReadOutcome[]): Set<string> {
    const wanted = [...new Set(batch.flatMap((o) => (o.kind === 'track' ? [o.fingerprint] : [])))]
    if (wanted.length === 0) return new Set()
    const rows = cataloguedOf.all({ fingerprints: JSON.stringify(wanted) }) as { fingerprint: string }[]
    return new Set(rows.map((r) => r.fingerprint))
  }

  // Identity: the same payload elsewhere whose old file is gone is a move (keep its id);
  // otherwise the row already at this path is the same track retagged or re-encoded.
  function resolve(file: FileRef, fingerprint: string, catalogued: Set<string>) {
    const here = (
      file.known ? byPath.all({ folderId: file.folderId, dir: file.dir, name: file.name }) : []
    ) as {
      id: number
      fingerprint: string
      missingAt: number | null
      albumId: number
    }[]
    const present = here.find((r) => r.missingAt === null)
    if (present?.fingerprint === fingerprint)
      return { id: present.id, albumId: present.albumId, moved: false, evict: null }
    const same = catalogued.has(fingerprint)
      ? (byFingerprint.all({ fingerprint }) as Omit<Candidate, 'root'>[])
      : []
    const elsewhere = same
      .map((c) => ({ ...c, root: roots.get(c.folderId) ?? '' }))
      .filter((c) => !(c.folderId === file.folderId && c.dir === file.dir && c.name === file.name))
    const moved = elsewhere.find(vacated)
    if (moved) return { id: moved.id, albumId: null, moved: true, evict: present?.id ?? null }
    const row = present ?? here[0]
    return { id: row?.id ?? null, albumId: row?.albumId ?? null, moved: false, evict: null }
  }

  function writeTrack(
    o: Extract<ReadOutcome, { kind: 'track' }>,
    now: number,
    changes: BatchChanges,
    catalogued: Set<string>,
  ): void {
    const { file, tags } = o
    const identity = resolve(file, o.fingerprint, catalogued)
    // A later file of this batch with the same payload must see this one.
    catalogued.add(o.fingerprint)
    if (identity.evict !== null) {
      // The path now holds another track's audio: the previous owner is missing until found.
      stmt.markTrackMissing.run({ id: identity.evict, now })
      changes.removed.push(identity.evict)
    }
    const albumId = entities.albumId(tags, now)
    if (identity.albumId !== null && identity.albumId !== albumId)
      markAlbumDirty.run({ id: identity.albumId })
    const row = trackRow(o, albumId, entities.cover(o.cover), now)
    let id: number
    if (identity.id === null) {
      id = (stmt.insertTrack.get(row) as { id: number }).id
      changes.added.push(id)
    } else {
      id = identity.id
      dirtyArtistsOf.run({ trackId: id })
      stmt.updateTrack.run({ ...row, id })
      stmt.deleteArtistsOf.run({ id })
      stmt.deleteGenresOf.run({ id })
      stmt.deleteLyricsOf.run({ id })
      changes.updated.push(id)
    }
    const roles: [string, number[]][] = [
      ['artist', entities.artistIds(tags.artists, tags.artistSort, tags.mbArtistIds)],
      ['composer', tags.composers.map((n) => entities.artistId(n, null, null))],
    ]
    for (const [role, ids] of roles)
      for (const [position, artistId] of [...new Set(ids)].entries())
        stmt.insertArtistOf.run({ trackId: id, artistId, role, position })
    const genreIds = [...new Set(tags.genres.map((g) => entities.genreId(g)))]
    for (const [position, genreId] of genreIds.entries())
      stmt.insertGenreOf.run({ trackId: id, genreId, position })
    for (const l of o.lyrics)
      stmt.insertLyric.run({
        trackId: id,
        source: l.source,
        synced: l.synced ? 1 : 0,
        lang: l.lang,
        text: l.text,
      })
    if (file.known) deleteProblem.run({ folderId: file.folderId, dir: file.dir, name: file.name })
  }

  function writeProblem(
    o: Extract<ReadOutcome, { kind: 'problem' }>,
    now: number,
    changes: BatchChanges,
  ): void {
    const { file } = o
    db.insert(scanProblems)
      .values({
        folderId: file.folderId,
        dir: file.dir,
        name: file.name,
        size: file.size,
        mtime: file.mtime,
        reason: o.reason,
        message: o.message,
        firstSeenAt: now,
        lastSeenAt: now,
      })
      .onConflictDoUpdate({
        target: [scanProblems.folderId, scanProblems.dir, scanProblems.name],
        set: { size: file.size, mtime: file.mtime, reason: o.reason, message: o.message, lastSeenAt: now },
      })
      .run()
    // A track whose file became unreadable is no longer playable: missing until it is fixed.
    const stale = db
      .update(tracks)
      .set({ missingAt: now })
      .where(
        and(
          eq(tracks.folderId, file.folderId),
          eq(tracks.dir, file.dir),
          eq(tracks.name, file.name),
          sql`${tracks.missingAt} IS NULL`,
        ),
      )
      .returning({ id: tracks.id, albumId: tracks.albumId })
      .all()
    for (const t of stale) {
      markAlbumDirty.run({ id: t.albumId })
      dirtyArtistsOf.run({ trackId: t.id })
      changes.removed.push(t.id)
    }
  }

  return {
    /** Writes a batch in one transaction and brings the touched albums and artists up to date. */
    write(batch: ReadOutcome[], now = Date.now()): BatchChanges {
      const changes: BatchChanges = { added: [], updated: [], removed: [] }
      db.transaction(() => {
        const catalogued = fingerprintsIn(batch)
        for (const o of batch) {
          if (o.kind === 'track') writeTrack(o, now, changes, catalogued)
          else writeProblem(o, now, changes)
        }
        // Artists of every written track need their counts redone: one statement per batch.
        const written = [...changes.added, ...changes.updated]
        for (let i = 0; i < written.length; i += 500)
          db.run(sql`UPDATE artists SET dirty = 1 WHERE dirty = 0 AND id IN (SELECT artist_id FROM track_artists
            WHERE track_id IN (${sql.join(
              written.slice(i, i + 500).map((id) => sql`${id}`),
              sql`, `,
            )}))`)
        refreshDirty(db, now)
      })
      entities.batchDone()
      return changes
    },
    forget: () => entities.forget(),
  }
}
