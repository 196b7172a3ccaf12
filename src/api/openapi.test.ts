import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createCatalog, listMusicFolders } from '../catalog/index.ts'
import { createPlaylists } from '../playlists/index.ts'
import { createShares } from '../shares/index.ts'
import { createStreaming, loadMediaKeys } from '../stream/index.ts'
import { PUBLIC_ROUTES, SETUP_ROUTE } from './guard.ts'
import { type TestApp, testApp } from './testing.ts'

let t: TestApp
let doc: { paths: Record<string, Record<string, { security?: unknown[] }>>; security: unknown[] }
beforeAll(async () => {
  // With the optional domains mounted, so every route the guard names is in the document.
  t = await testApp({}, (f) => {
    const streaming = createStreaming({
      audio: () => undefined,
      resolveTrack: () => null,
      access: (id) => f.accounts.auth.signedUrlPrincipal(id),
      keys: loadMediaKeys(f.dir, { graceMs: 0 }),
      version: 'test',
    })
    // Shares bring a public route of their own, wired as the server wires them.
    const catalog = createCatalog({
      db: f.sqlite.db,
      dataDir: f.dir,
      folders: () => listMusicFolders(f.sqlite.db),
    })
    const shares = createShares({
      db: f.sqlite.db,
      trackSummaries: catalog.trackSummaries,
      album: catalog.getAlbum,
      playlist: createPlaylists({ db: f.sqlite.db, trackSummaries: catalog.trackSummaries }).get,
      rightsOf: (id) => f.accounts.auth.signedUrlPrincipal(id),
      play: streaming.play,
    })
    return { streaming, shares }
  })
  doc = (await (await t.call('GET', '/api/openapi.json')).json()) as typeof doc
})
afterAll(() => t.close())

// Hono's route table lists middleware too (method ALL, or wildcard paths); the handlers are the rest.
const registered = () =>
  t.app.routes
    .filter((r) => r.path.startsWith('/api') && r.method !== 'ALL' && !r.path.includes('*'))
    .map((r) => `${r.method} ${r.path.replace(/:([^/]+)/g, '{$1}')}`)

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  )

describe('the OpenAPI document', () => {
  it('lists exactly the /api routes the router serves', () => {
    const routes = [...new Set(registered())].sort()
    expect(routes.length).toBeGreaterThan(15)
    expect(documented().sort()).toEqual(routes)
  })

  it('marks exactly the public routes as needing no credentials', () => {
    expect(doc.security).toEqual([{ bearer: [] }, { cookie: [] }])
    const open = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    )
    expect(open.sort()).toEqual([...PUBLIC_ROUTES, SETUP_ROUTE].sort())
  })

  it('documents the 401 of every operation that needs credentials', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops) as [
        string,
        { security?: unknown[]; responses: object },
      ][]) {
        if (op.security?.length === 0) continue
        expect({ op: `${method} ${path}`, statuses: Object.keys(op.responses) }).toMatchObject({
          statuses: expect.arrayContaining(['401']),
        })
      }
    }
  })
})
