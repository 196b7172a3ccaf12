// Shared by the events REST tests (not shipped code): the real app with real accounts and a real
// events domain on one SQLite file. Users 1–7 are real accounts created in order (so their ids are
// 1–7); "as an admin" requests use a separate real admin account.
import { createTestCatalog, testEvents } from '../../events/test-support.ts'
import { createMetrics } from '../metrics.ts'
import { testApp as accountsApp } from '../testing.ts'

const USERS = 7

export async function testApp() {
  const metrics = createMetrics()
  let events!: ReturnType<typeof testEvents>
  const base = await accountsApp({}, (f) => {
    const catalog = createTestCatalog(f.sqlite)
    catalog.add('t1', { durationMs: 200_000 })
    catalog.add('t2', { durationMs: 200_000 })
    events = testEvents(
      { dir: f.dir, sqlite: f.sqlite, catalog, cleanup: () => {} },
      { registry: metrics.registry },
    )
    return { events, metrics }
  })
  events.start()
  const tokens: string[] = []
  for (let n = 1; n <= USERS; n++) {
    const u = await base.user(`user${n}`)
    if (u.id !== n) throw new Error(`expected user${n} to get id ${n}, got ${u.id}`)
    tokens[n] = u.token
  }
  const admin = await base.user('household-admin', 'admin')
  const app = base.app

  /** Request options for a signed-in user (or for the admin account when asked). */
  const as = (user: number, init: RequestInit = {}, asAdmin = false): RequestInit => ({
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${asAdmin ? admin.token : tokens[user]}`,
      ...(init.headers as Record<string, string>),
    },
  })
  const get = async (path: string, user: number, asAdmin = false) => {
    const res = await app.request(`http://localhost${path}`, as(user, {}, asAdmin))
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      body: (await res.json()) as Record<string, unknown>,
    }
  }
  const post = (user: number, body: unknown) =>
    app.request('http://localhost/api/events', as(user, { method: 'POST', body: JSON.stringify(body) }))
  /** Waits until every consumer has applied what this POST stored. */
  const settle = async (res: Response) => {
    const body = (await res.json()) as { head: number; accepted: number; duplicates: number }
    await events.reached(body.head)
    return body
  }
  return {
    app,
    events,
    metrics,
    as,
    get,
    post,
    settle,
    async close() {
      await events.stop()
      base.close()
    },
  }
}
