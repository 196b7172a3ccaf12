// Shared by the events tests and benchmark (not shipped code): a real database in a temporary
// directory, a small catalog table standing in for the catalog branch's tracks, and event makers.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { Registry } from 'prom-client'
import { openDatabase } from '../db/open.ts'
import { createLogger } from '../lib/logger.ts'
import type { Sqlite } from '../platform/sqlite.ts'
import { createEvents, type EventsConfig, type EventsDeps } from './events.ts'
import type { EventInput } from './schema.ts'
import type { ResolvedTrack, TrackResolver } from './tracks.ts'

export const testConfig: EventsConfig = {
  playThresholdSeconds: 30,
  playThresholdFraction: 0.5,
  eventRetentionDays: 30,
  listenbrainzUrl: 'http://127.0.0.1:9/listenbrainz',
  lastfmUrl: 'http://127.0.0.1:9/lastfm',
  lastfmApiKey: 'server-key',
  lastfmApiSecret: 'server-secret',
}

/**
 * A catalog in the test database: the resolver reads a real table with a real query inside the
 * consumer's transaction, as the catalog's will.
 */
export function createTestCatalog(sqlite: Sqlite) {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS test_tracks (
    id TEXT PRIMARY KEY, duration_ms INTEGER NOT NULL, album_id TEXT, artist_ids TEXT NOT NULL,
    title TEXT NOT NULL, artist TEXT NOT NULL, album TEXT NOT NULL)`)
  const resolveTrack: TrackResolver = (id) => {
    const [row] = sqlite.all<{
      duration_ms: number
      album_id: string | null
      artist_ids: string
      title: string
      artist: string
      album: string
    }>('SELECT * FROM test_tracks WHERE id = ?', id)
    if (!row) return null
    return {
      durationMs: row.duration_ms,
      albumId: row.album_id,
      artistIds: JSON.parse(row.artist_ids) as string[],
      title: row.title,
      artist: row.artist,
      album: row.album,
    }
  }
  return {
    resolveTrack,
    add(id: string, t: Partial<ResolvedTrack> = {}) {
      sqlite.db.run(sql`INSERT OR REPLACE INTO test_tracks VALUES (${id}, ${t.durationMs ?? 200_000},
        ${t.albumId === undefined ? `album-of-${id}` : t.albumId}, ${JSON.stringify(t.artistIds ?? [`artist-of-${id}`])},
        ${t.title ?? `Title ${id}`}, ${t.artist ?? `Artist ${id}`}, ${t.album ?? `Album ${id}`})`)
    },
  }
}

export async function testDatabase(prefix = 'tonearm-events-') {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const sqlite = await openDatabase(dir)
  return {
    dir,
    sqlite,
    catalog: createTestCatalog(sqlite),
    cleanup() {
      sqlite.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The events domain over a test database, with fast timings so tests do not wait on timers. */
export function testEvents(t: Awaited<ReturnType<typeof testDatabase>>, overrides: Partial<EventsDeps> = {}) {
  return createEvents({
    db: t.sqlite.db,
    registry: new Registry(),
    logger: createLogger('silent'),
    resolveTrack: t.catalog.resolveTrack,
    keyFile: join(t.dir, 'keys', 'scrobble.key'),
    config: testConfig,
    version: 'test',
    runner: { pollMs: 20, backoffBaseMs: 10, backoffMaxMs: 50 },
    delivery: { retryBaseMs: 10, retryMaxMs: 50, pollMs: 50 },
    ...overrides,
  })
}

let seq = 0
/** A unique, valid event id. */
export const newId = () => `evt-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`

type Fields<T extends EventInput['type']> = Omit<
  Extract<EventInput, { type: T }>,
  'type' | 'eventId' | 'deviceId' | 'clientTime' | 'v'
>

/** An event with defaults for the common fields. */
export function ev<T extends EventInput['type']>(
  type: T,
  fields: Fields<T>,
  common: { eventId?: string; deviceId?: string; clientTime?: number } = {},
): EventInput {
  return {
    type,
    eventId: common.eventId ?? newId(),
    deviceId: common.deviceId ?? 'phone',
    clientTime: common.clientTime ?? Date.now(),
    ...fields,
  } as EventInput
}

/** A listen the way the web player reports it: started, then ended after `heardMs`. */
export function listen(trackId: string, heardMs: number, at = Date.now(), deviceId = 'phone'): EventInput[] {
  return [
    ev('play_started', { trackId }, { clientTime: at - heardMs, deviceId }),
    ev('play_ended', { trackId, heardMs }, { clientTime: at, deviceId }),
  ]
}
