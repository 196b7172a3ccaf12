// Playlists: what reordering a long playlist costs with fractional-index order keys (the domain's
// own calls, permission checks and summary included) against the usual alternative measured in
// the same run on the same SQLite file: integer positions, renumbered on every insert and move.
// Also reading a 1,000-entry playlist with its track summaries, against one raw SQL join.
import { sql } from 'drizzle-orm'
import { type LibraryApp, libraryApp, seedAlbum } from '../../src/playlists/testing.ts'
import { against, emit, type Result, result } from './lib.ts'

const LONG = 10_000
const READ = 1_000
const RUNS = 31
const log = (msg: string) => process.stderr.write(`playlists bench: ${msg}\n`)

const t: LibraryApp = await libraryApp()
const user = await t.user('bench')
const viewer = t.accounts.auth.authenticate(user.token)
if (!viewer) throw new Error('signed in')
const album = seedAlbum(t.db, {
  folderId: 1,
  artist: 'Bench',
  album: 'Long',
  titles: Array.from({ length: 2000 }, (_, i) => `Track ${i}`),
})
const trackIds = Array.from({ length: LONG }, (_, i) => album.trackIds[i % album.trackIds.length] as number)
const totalChanges = () => t.sqlite.all<{ n: number }>('SELECT total_changes() AS n')[0]?.n ?? 0

function timed(fn: () => void): { ms: number; rows: number } {
  const before = totalChanges()
  const t0 = performance.now()
  fn()
  return { ms: performance.now() - t0, rows: totalChanges() - before }
}

log(`building a ${LONG}-entry playlist and its integer-position twin`)
const long = t.playlists.create(viewer, { name: 'Long', trackIds })
t.sqlite.exec(`CREATE TABLE bench_renumbered (id INTEGER PRIMARY KEY, playlist_id INTEGER NOT NULL,
  track_id INTEGER NOT NULL, position INTEGER NOT NULL)`)
t.sqlite.exec('CREATE INDEX bench_renumbered_order ON bench_renumbered (playlist_id, position)')
t.db.transaction(() => {
  trackIds.forEach((trackId, position) => {
    t.db.run(
      sql`INSERT INTO bench_renumbered (playlist_id, track_id, position) VALUES (1, ${trackId}, ${position})`,
    )
  })
})

/** The reference: move the last entry to the top by shifting every position before it. */
function renumberedMove(): void {
  t.db.transaction(() => {
    const last = t.db.all<{ id: number; position: number }>(
      sql`SELECT id, position FROM bench_renumbered WHERE playlist_id = 1 ORDER BY position DESC LIMIT 1`,
    )[0] as { id: number; position: number }
    t.db.run(sql`UPDATE bench_renumbered SET position = -1 WHERE id = ${last.id}`)
    t.db.run(sql`UPDATE bench_renumbered SET position = position + 1 WHERE playlist_id = 1 AND position >= 0`)
    t.db.run(sql`UPDATE bench_renumbered SET position = 0 WHERE id = ${last.id}`)
  })
}

/** The reference: insert one track in the middle by shifting every position after it. */
function renumberedInsert(): void {
  t.db.transaction(() => {
    const at = Math.floor(LONG / 2)
    t.db.run(
      sql`UPDATE bench_renumbered SET position = position + 1 WHERE playlist_id = 1 AND position >= ${at}`,
    )
    t.db.run(
      sql`INSERT INTO bench_renumbered (playlist_id, track_id, position) VALUES (1, ${trackIds[0] as number}, ${at})`,
    )
  })
}

const lastEntryId = () =>
  (
    t.db.all<{ id: number }>(
      sql`SELECT id FROM playlist_entries WHERE playlist_id = ${long.id} ORDER BY position DESC LIMIT 1`,
    )[0] as { id: number }
  ).id

/**
 * Samples of `fn` and of its reference, taken alternately: the machine is shared, and load that
 * comes and goes then weighs on both sides alike.
 */
function measure(name: string, fn: () => void, refName: string, ref: () => void): Result[] {
  fn()
  ref()
  const mine: { ms: number; rows: number }[] = []
  const theirs: { ms: number; rows: number }[] = []
  for (let i = 0; i < RUNS; i++) {
    mine.push(timed(fn))
    theirs.push(timed(ref))
  }
  const ms = (xs: typeof mine) => xs.map((s) => +s.ms.toFixed(3))
  const rows = (xs: typeof mine) => xs.map((s) => s.rows)
  return [
    against(result(name, 'ms', ms(mine)), result(refName, 'ms', ms(theirs))),
    result(`${name}: rows written`, 'rows', rows(mine)),
    result(`${refName}: rows written`, 'rows', rows(theirs)),
  ]
}

const results: Result[] = []
log('moving the last entry to the top')
results.push(
  ...measure(
    `move one entry to the top of a ${LONG}-entry playlist (fractional keys)`,
    () => t.playlists.moveEntries(viewer, long.id, [lastEntryId()], 0),
    'the same move, integer positions renumbered',
    renumberedMove,
  ),
)
log('inserting in the middle')
results.push(
  ...measure(
    `insert one track in the middle of a ${LONG}-entry playlist (fractional keys)`,
    () => t.playlists.addTracks(viewer, long.id, [trackIds[0] as number], LONG / 2),
    'the same insert, integer positions renumbered',
    renumberedInsert,
  ),
)
log(`reading a ${READ}-entry playlist`)
const short = t.playlists.create(viewer, { name: 'Read', trackIds: trackIds.slice(0, READ) })
const [read] = measure(
  `get a ${READ}-entry playlist with track summaries`,
  () => {
    if (t.playlists.get(viewer, short.id).entries.length !== READ) throw new Error('wrong length')
  },
  'the same rows from one raw SQL join',
  () => {
    const rows =
      t.db.all(sql`SELECT e.id, e.track_id, t.title, t.artist, al.name, t.duration FROM playlist_entries e
      JOIN tracks t ON t.id = e.track_id JOIN albums al ON al.id = t.album_id
      WHERE e.playlist_id = ${short.id} AND t.missing_at IS NULL AND t.folder_id IN (1, 2) ORDER BY e.position`)
    if (rows.length !== READ) throw new Error('wrong length')
  },
)
results.push(read as Result)

for (const r of results) log(`${r.name}: median ${r.median} ${r.unit}${r.ratio ? ` (×${r.ratio})` : ''}`)
t.close()
emit(results)
