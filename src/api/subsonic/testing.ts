// Shared by the Subsonic tests (not shipped code): the real app over a real SQLite file holding a
// real scan of the demo library (made by our own WASM engine), real accounts, devices and events.
import { randomBytes } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { demoLibraryCopy } from '../../../tests/helpers/library.ts'
import { tempDir } from '../../../tests/helpers/server.ts'
import { createAccounts } from '../../accounts/index.ts'
import { FAST_SCRYPT } from '../../accounts/testing.ts'
import { createCatalog, listMusicFolders, syncMusicFolders } from '../../catalog/index.ts'
import {
  deviceEventsInto,
  openLibrary,
  openPlaylists,
  openRecommendations,
  openShares,
} from '../../compose/parts.ts'
import { openDatabase } from '../../db/open.ts'
import { createDevices, createHub, type LiveTopics } from '../../devices/index.ts'
import { createEvents } from '../../events/index.ts'
import { testConfig } from '../../events/test-support.ts'
import { createLogger } from '../../lib/logger.ts'
import { createStatusBoard } from '../../lib/status.ts'
import { createSearch } from '../../search/index.ts'
import { openStreaming } from '../../stream/index.ts'
import { createApp } from '../app.ts'
import { createMetrics } from '../metrics.ts'

export const LRC =
  '[ar:Café Aurora]\n[ti:Rue des Étoiles]\n[00:00.50]Sous les étoiles\n[00:02.25]La rue s’allume\n[00:04.00]Et moi je chante\n'

export async function subsonicFixture() {
  // A private copy, with synced lyrics beside one track (the demo library has none of its own).
  const music = await demoLibraryCopy()
  writeFileSync(join(music, 'Café Aurora', '2019 - Lumière du Soir', '01 - Rue des Étoiles.lrc'), LRC)
  const data = tempDir('tonearm-subsonic-')
  const sqlite = await openDatabase(data)
  syncMusicFolders(sqlite.db, [music])
  const logger = createLogger(process.env.TEST_LOG === '1' ? 'debug' : 'silent')
  const accounts = createAccounts({ db: sqlite.db, secretKey: randomBytes(32), scrypt: FAST_SCRYPT })
  const catalog = createCatalog({
    db: sqlite.db,
    dataDir: data,
    folders: () => listMusicFolders(sqlite.db),
    scan: { workers: 1 },
  })
  await catalog.scanner.scan({ full: true, trigger: 'test' })
  const metrics = createMetrics()
  const search = createSearch({ db: sqlite.db, changes: catalog.events, logger })
  await search.start()
  const recommendations = openRecommendations(sqlite, catalog, testConfig)
  const events = createEvents({
    db: sqlite.db,
    registry: new Registry(),
    logger,
    resolveTrack: catalog.listeningTrack,
    keyFile: join(data, 'keys', 'scrobble.key'),
    config: testConfig,
    version: '9.9.9',
    runner: { pollMs: 20 },
    extraConsumers: [recommendations.consumer],
  })
  events.start()
  const hub = createHub<LiveTopics>(() => {})
  const devices = createDevices({ db: sqlite.db, hub, ingestEvents: deviceEventsInto(events) })
  const playlists = openPlaylists(sqlite, catalog, hub)
  const library = openLibrary(sqlite, catalog, events, logger)
  // Signed URLs and grants are real; no audio engine runs in process, so media answers "starting".
  const streaming = openStreaming(data, {
    audio: () => undefined,
    resolveTrack: catalog.playableTrack,
    access: (userId) => accounts.auth.signedUrlPrincipal(userId),
    version: '9.9.9',
  })
  const shares = openShares(sqlite, { catalog, playlists, accounts, streaming })
  const app = createApp({
    version: '9.9.9',
    logger,
    metrics,
    status: createStatusBoard(),
    accounts,
    devices,
    listFolders: () => listMusicFolders(sqlite.db),
    catalog,
    events,
    search,
    playlists,
    library,
    recommend: recommendations.recommender,
    streaming,
    shares,
  })

  /** A user with a Subsonic app password; returns the password. */
  async function user(name: string, role: 'admin' | 'user' = 'user') {
    const created = await accounts.users.create(
      { username: name, password: `${name}-password`, role },
      { source: 'cli' },
    )
    const p = accounts.auth.signedUrlPrincipal(created.id)
    if (!p) throw new Error('user vanished')
    const appPassword = accounts.subsonic.createPassword(
      { ...p, scopes: ['read', 'write', 'admin'] },
      { source: 'cli' },
    )
    return { id: created.id, password: appPassword }
  }

  /** An OpenSubsonic API key of the user, with these scopes. */
  function apiKey(userId: number, scopes: ('read' | 'write')[] = ['read', 'write']): string {
    const p = accounts.auth.signedUrlPrincipal(userId)
    if (!p) throw new Error('no such user')
    const principal = { ...p, scopes: ['read', 'write', 'admin'] as ('read' | 'write' | 'admin')[] }
    return accounts.tokens.create(principal, { name: 'phone', scopes, kind: 'subsonic' }, { source: 'cli' })
      .secret
  }

  return {
    app,
    apiKey,
    playlists,
    library,
    shares,
    listFolders: () => listMusicFolders(sqlite.db),
    accounts,
    catalog,
    events,
    devices,
    sqlite,
    music,
    user,
    /** GET /rest/<endpoint> with the given parameters (credentials included by the caller). */
    get(endpoint: string, params: Record<string, string | string[]> = {}, init: RequestInit = {}) {
      const q = new URLSearchParams()
      for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x)
      return app.request(`http://localhost/rest/${endpoint}?${q}`, init, { remoteAddress: '127.0.0.1' })
    },
    async close() {
      search.stop()
      await events.stop()
      devices.close()
      await catalog.scanner.close()
      accounts.close()
      sqlite.close()
      rmSync(data, { recursive: true, force: true })
      rmSync(join(music, '..'), { recursive: true, force: true })
    },
  }
}
