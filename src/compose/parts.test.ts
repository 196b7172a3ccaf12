import { afterAll, expect, it } from 'bun:test'
import { testDatabase, testEvents } from '../events/test-support.ts'
import { deviceEventsInto } from './parts.ts'

// A device's buffered listening must land in the real events log in the log's own shape, and a
// replayed buffer must be recognised, not counted again.
const t = await testDatabase()
const events = testEvents(t)
afterAll(async () => {
  await events.stop()
  t.cleanup()
})

it('turns device events into log events, and a replay into duplicates', async () => {
  const ingest = deviceEventsInto(events)
  const at = Date.now() - 60_000
  const buffered = [
    { id: 'dev-evt-1', type: 'play_started', at, trackId: 7, deviceId: 'phone-1' },
    {
      id: 'dev-evt-2',
      type: 'play_ended',
      at: at + 45_000,
      trackId: 7,
      heardMs: 45_000,
      deviceId: 'phone-1',
    },
  ]
  expect(await ingest(3, buffered, 'device')).toMatchObject({ accepted: 2, duplicates: 0 })
  expect(await ingest(3, buffered, 'device')).toMatchObject({ accepted: 0, duplicates: 2 })
  const logged = t.sqlite.all<{ event_id: string; device_id: string; track_id: string; source: string }>(
    'SELECT event_id, device_id, track_id, source FROM events ORDER BY "offset"',
  )
  expect(logged).toEqual([
    { event_id: 'dev-evt-1', device_id: 'phone-1', track_id: '7', source: 'device' },
    { event_id: 'dev-evt-2', device_id: 'phone-1', track_id: '7', source: 'device' },
  ])
})

it('refuses a malformed device event with the field named', () => {
  const ingest = deviceEventsInto(events)
  expect(() =>
    ingest(
      3,
      [{ id: 'dev-evt-3', type: 'play_ended', at: Date.now(), trackId: 7, deviceId: 'phone-1' }],
      'device',
    ),
  ).toThrow(/heardMs/)
})
