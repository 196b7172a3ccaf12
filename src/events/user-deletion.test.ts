import { afterEach, beforeEach, expect, it } from 'bun:test'
import type { Sqlite } from '../platform/sqlite.ts'
import type { Events } from './events.ts'
import { ev, listen, testDatabase, testEvents } from './test-support.ts'

// The events tables hold user_id without a foreign key (the domain does not own users); migration
// 0010's trigger is what removes a deleted user's listening. Driven through the real pipeline.
let t: Awaited<ReturnType<typeof testDatabase>>
let events: Events
beforeEach(async () => {
  t = await testDatabase()
  events = testEvents(t)
  t.catalog.add('song', { durationMs: 200_000 })
  events.start()
})
afterEach(async () => {
  await events.stop()
  t.cleanup()
})

const addUser = (sqlite: Sqlite, name: string) =>
  (
    sqlite.all<{ id: number }>(
      "INSERT INTO users (username, role, password_hash) VALUES (?, 'user', 'x') RETURNING id",
      name,
    )[0] as { id: number }
  ).id

const PERSONAL = ['events', 'play_counts', 'play_daily', 'listening_history', 'track_feedback', 'now_playing']
const rowsOf = (userId: number) =>
  Object.fromEntries(
    PERSONAL.map((table) => [
      table,
      (
        t.sqlite.all<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`, userId)[0] as {
          n: number
        }
      ).n,
    ]),
  )

it("deleting a user removes their listening and feedback, keeps everyone else's and the global counts", async () => {
  const anna = addUser(t.sqlite, 'anna')
  const ben = addUser(t.sqlite, 'ben')
  for (const user of [anna, ben]) {
    const r = events.ingest(
      user,
      [...listen('song', 60_000), ev('like', { trackId: 'song' }), ev('play_started', { trackId: 'song' })],
      'web',
    )
    await events.reached(r.head)
  }
  const before = rowsOf(anna)
  for (const table of PERSONAL) expect(before[table], table).toBeGreaterThan(0)
  const global = () =>
    t.sqlite.all<{ plays: number }>(
      "SELECT plays FROM play_counts_global WHERE kind = 'track' AND item_id = 'song'",
    )

  t.sqlite.all('DELETE FROM users WHERE id = ?', anna)

  expect(Object.values(rowsOf(anna))).toEqual(PERSONAL.map(() => 0))
  expect(rowsOf(ben)).toEqual(before)
  expect(global()).toEqual([{ plays: 2 }])
})
