// Shared by the REST tests (not shipped code): the real app over a real events domain, behind a
// test-only stand-in for the accounts branch's auth middleware that takes the caller from headers.
import { OpenAPIHono } from '@hono/zod-openapi'
import { testDatabase, testEvents } from '../../events/test-support.ts'
import { createLogger } from '../../lib/logger.ts'
import { createStatusBoard } from '../../lib/status.ts'
import { createApp } from '../app.ts'
import type { AppEnv } from '../context.ts'
import { createMetrics } from '../metrics.ts'

export async function testApp() {
  const t = await testDatabase()
  t.catalog.add('t1', { durationMs: 200_000 })
  t.catalog.add('t2', { durationMs: 200_000 })
  const metrics = createMetrics()
  const events = testEvents(t, { registry: metrics.registry })
  events.start()
  const app = new OpenAPIHono<AppEnv>()
  app.use(async (c, next) => {
    const user = c.req.header('x-test-user')
    if (user)
      c.set('principal', {
        userId: Number(user),
        username: `user${user}`,
        role: c.req.header('x-test-admin') ? 'admin' : 'user',
      })
    await next()
  })
  app.route(
    '/',
    createApp({
      version: 'test',
      logger: createLogger('silent'),
      metrics,
      status: createStatusBoard(),
      events,
    }),
  )

  /** Request options for a signed-in user (an admin when asked). */
  const as = (user: number, init: RequestInit = {}, admin = false): RequestInit => ({
    ...init,
    headers: {
      'content-type': 'application/json',
      'x-test-user': String(user),
      ...(admin ? { 'x-test-admin': '1' } : {}),
      ...(init.headers as Record<string, string>),
    },
  })
  const get = async (path: string, user: number, admin = false) => {
    const res = await app.request(`http://localhost${path}`, as(user, {}, admin))
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
      t.cleanup()
    },
  }
}
