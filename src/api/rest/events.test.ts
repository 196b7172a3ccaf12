import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { OpenAPIHono } from '@hono/zod-openapi'
import { Registry } from 'prom-client'
import type { Events } from '../../events/index.ts'
import { ev, listen, testDatabase, testEvents } from '../../events/test-support.ts'
import { createLogger } from '../../lib/logger.ts'
import { createStatusBoard } from '../../lib/status.ts'
import { createApp } from '../app.ts'
import type { AppEnv } from '../context.ts'
import type { Metrics } from '../metrics.ts'
import { createMetrics } from '../metrics.ts'

let t: Awaited<ReturnType<typeof testDatabase>>
let events: Events
let metrics: Metrics
let app: OpenAPIHono<AppEnv>

beforeAll(async () => {
  t = await testDatabase()
  t.catalog.add('t1', { durationMs: 200_000 })
  t.catalog.add('t2', { durationMs: 200_000 })
  metrics = createMetrics()
  events = testEvents(t, { registry: metrics.registry })
  events.start()
  // Test-only stand-in for the accounts branch's auth middleware: the principal comes from headers.
  app = new OpenAPIHono<AppEnv>()
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
})
afterAll(async () => {
  await events.stop()
  t.cleanup()
})

const as = (user: number, init: RequestInit = {}, admin = false) => ({
  ...init,
  headers: {
    'content-type': 'application/json',
    'x-test-user': String(user),
    ...(admin ? { 'x-test-admin': '1' } : {}),
    ...(init.headers as Record<string, string>),
  },
})
const post = (user: number, body: unknown) =>
  app.request('http://localhost/api/events', as(user, { method: 'POST', body: JSON.stringify(body) }))
const get = async (path: string, user: number, admin = false) => {
  const res = await app.request(`http://localhost${path}`, as(user, {}, admin))
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  }
}
async function settle(res: Response) {
  const body = (await res.json()) as { head: number }
  await events.reached(body.head)
  return body
}

describe('POST /api/events', () => {
  it('stores a batch once, however often it is sent', async () => {
    const batch = { source: 'web', events: [...listen('t1', 60_000), ev('like', { trackId: 't1' })] }
    const first = await post(1, batch)
    expect(first.status).toBe(200)
    expect(await settle(first)).toMatchObject({ accepted: 3, duplicates: 0 })
    expect(await settle(await post(1, batch))).toMatchObject({ accepted: 0, duplicates: 3 })
  })

  it('rejects the whole batch with every bad field named', async () => {
    const head = events.head()
    const res = await post(1, {
      events: [
        ev('like', { trackId: 't1' }),
        { ...ev('play_ended', { trackId: 't1', heardMs: 1 }), heardMs: 'long' },
        { type: 'nap' },
      ],
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as {
      code: string
      field: string
      errors: { path: string }[]
      detail: string
    }
    expect(body.code).toBe('invalid')
    expect(body.field).toBe('events[1].heardMs')
    expect(body.detail).toStartWith('events[1].heardMs: must be a number of milliseconds')
    expect(body.errors.map((e) => e.path)).toEqual(['events[1].heardMs', 'events[2].type'])
    expect(events.head()).toBe(head)
  })

  it('answers bad requests with 4xx problems, never a 500', async () => {
    const unauth = await app.request('http://localhost/api/events', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect([unauth.status, ((await unauth.json()) as { code: string }).code]).toEqual([401, 'unauthorized'])
    const malformed = await app.request(
      'http://localhost/api/events',
      as(1, { method: 'POST', body: '{"events": [' }),
    )
    expect(malformed.status).toBe(400)
    const notJson = await app.request(
      'http://localhost/api/events',
      as(1, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }),
    )
    expect(notJson.status).toBe(415)
    const huge = {
      events: [
        { ...ev('search', { query: 'x', trackId: null, chosen: null }), query: 'x'.repeat(3_000_000) },
      ],
    }
    const tooLarge = await post(1, huge)
    expect([tooLarge.status, ((await tooLarge.json()) as { code: string }).code]).toEqual([413, 'too_large'])
  })
})

describe('GET /api/events/stream', () => {
  const read = async (path: string, user: number, admin = false) => {
    const res = await app.request(`http://localhost${path}`, as(user, {}, admin))
    return {
      res,
      lines: (await res.text())
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    }
  }

  it('streams a user’s own events as NDJSON from an offset; admins see everyone', async () => {
    await settle(await post(2, { events: [ev('like', { trackId: 't2' })] }))
    const mine = await read('/api/events/stream?follow=false', 1)
    expect(mine.res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    expect(mine.res.headers.get('x-compacted-through')).toBe('0')
    expect(mine.lines.map((l) => l.userId)).toEqual([1, 1, 1])
    expect(Object.keys(mine.lines[0] ?? {})[0]).toBe('offset')
    const resumed = await read(`/api/events/stream?follow=false&from=${mine.lines[1]?.offset}`, 1)
    expect(resumed.lines.map((l) => l.offset)).toEqual([mine.lines[2]?.offset])
    const all = await read('/api/events/stream?follow=false', 1, true)
    expect(all.lines.map((l) => l.userId)).toEqual([1, 1, 1, 2])
    expect((await read('/api/events/stream?follow=false&userId=2', 1, true)).lines).toHaveLength(1)
    expect((await get('/api/events/stream?follow=false&userId=2', 1)).status).toBe(403)
    expect((await get('/api/events/stream?from=-1', 1)).status).toBe(400)
  })

  it('keeps following: events appended later arrive on the open stream', async () => {
    const abort = new AbortController()
    const res = await app.request('http://localhost/api/events/stream', as(3, { signal: abort.signal }))
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let text = ''
    const nextLine = async () => {
      while (!text.includes('\n')) text += decoder.decode((await reader.read()).value)
      const [line, ...rest] = text.split('\n')
      text = rest.join('\n')
      return JSON.parse(line as string) as { eventId: string; userId: number }
    }
    const live = ev('like', { trackId: 't1' })
    await post(3, { events: [live] })
    expect(await nextLine()).toMatchObject({ eventId: live.eventId, userId: 3 })
    const later = ev('unlike', { trackId: 't1' })
    await post(3, { events: [later] })
    expect((await nextLine()).eventId).toBe(later.eventId)
    await reader.cancel()
    abort.abort()
  })
})

describe('statistics', () => {
  it('serves charts, listening time, trending, skips, history and now playing', async () => {
    await settle(
      await post(4, {
        events: [
          ...listen('t2', 100_000),
          ...listen('t2', 100_000),
          ev('play_started', { trackId: 't1' }, { deviceId: 'kitchen' }),
        ],
      }),
    )
    const me = await get('/api/stats/top?kind=track&period=week&scope=me', 4)
    expect(me.body).toEqual({
      kind: 'track',
      period: 'week',
      scope: 'me',
      items: [expect.objectContaining({ id: 't2', plays: 2 })],
    })
    const household = await get('/api/stats/top?period=all&scope=household', 4)
    expect((household.body.items as { id: string }[]).map((i) => i.id)).toEqual(['t2', 't1'])
    expect((await get('/api/stats/listening-time?period=week', 4)).body).toMatchObject({
      heardMs: 200_000,
      plays: 2,
    })
    expect((await get('/api/stats/trending?window=hour', 4)).body).toMatchObject({
      window: 'hour',
      items: [
        { trackId: 't2', plays: 2 },
        { trackId: 't1', plays: 1 },
      ],
    })
    expect((await get('/api/stats/skips?scope=household', 4)).body).toEqual({ items: [] })
    const history = await get('/api/stats/history?limit=1', 4)
    expect((history.body.items as unknown[]).length).toBe(1)
    const page2 = await get(`/api/stats/history?limit=1&cursor=${history.body.nextCursor}`, 4)
    expect(page2.body.nextCursor).toBeNull()
    expect(((await get('/api/stats/history', 5)).body.items as unknown[]).length).toBe(0)
    expect((await get('/api/stats/history?userId=4', 5)).status).toBe(403)
    expect(((await get('/api/stats/history?userId=4', 5, true)).body.items as unknown[]).length).toBe(2)
    const playing = (await get('/api/stats/now-playing', 5)).body.items as {
      userId: number
      deviceId: string
    }[]
    expect(playing).toContainEqual(expect.objectContaining({ userId: 4, deviceId: 'kitchen', trackId: 't1' }))
  })

  it('rejects bad parameters with a problem naming them', async () => {
    for (const [path, field] of [
      ['/api/stats/top?period=decade', 'period'],
      ['/api/stats/top?kind=genre', 'kind'],
      ['/api/stats/trending?window=month', 'window'],
      ['/api/stats/history?limit=0', 'limit'],
      ['/api/stats/history?cursor=garbage', 'cursor'],
    ]) {
      const r = await get(path as string, 1)
      expect([r.status, r.type, r.body.field]).toEqual([400, 'application/problem+json', field])
    }
    expect((await app.request('http://localhost/api/stats/top')).status).toBe(401)
  })
})

describe('scrobbler credentials', () => {
  it('connects, lists and disconnects a service without ever returning the secret', async () => {
    const put = await app.request(
      'http://localhost/api/me/scrobblers/listenbrainz',
      as(6, { method: 'PUT', body: JSON.stringify({ token: 'tok-123' }) }),
    )
    expect(put.status).toBe(200)
    const text = await put.text()
    expect(text).not.toContain('tok-123')
    expect(JSON.parse(text)).toMatchObject({ service: 'listenbrainz', active: true, pending: 0 })
    expect((await get('/api/me/scrobblers', 6)).body.items).toHaveLength(1)
    expect((await get('/api/me/scrobblers', 7)).body.items).toHaveLength(0)
    const del = await app.request(
      'http://localhost/api/me/scrobblers/listenbrainz',
      as(6, { method: 'DELETE' }),
    )
    expect(del.status).toBe(204)
    expect((await get('/api/me/scrobblers', 6)).body.items).toHaveLength(0)
  })

  it('rejects unknown services and bad credentials precisely', async () => {
    const bad = await app.request(
      'http://localhost/api/me/scrobblers/spotify',
      as(6, { method: 'PUT', body: '{}' }),
    )
    expect([bad.status, ((await bad.json()) as { field: string }).field]).toEqual([400, 'service'])
    const empty = await app.request(
      'http://localhost/api/me/scrobblers/lastfm',
      as(6, { method: 'PUT', body: '{"sessionKey":""}' }),
    )
    expect([empty.status, ((await empty.json()) as { field: string }).field]).toEqual([400, 'sessionKey'])
  })
})

describe('documentation and metrics', () => {
  it('documents every route in the OpenAPI document and exposes consumer lag', async () => {
    const doc = (await (await app.request('http://localhost/api/openapi.json')).json()) as {
      paths: Record<string, unknown>
    }
    for (const path of [
      '/api/events',
      '/api/events/stream',
      '/api/stats/top',
      '/api/stats/history',
      '/api/stats/listening-time',
      '/api/stats/trending',
      '/api/stats/now-playing',
      '/api/me/scrobblers/{service}',
    ])
      expect(Object.keys(doc.paths)).toContain(path)
    const text = await (await app.request('http://localhost/metrics')).text()
    expect(text).toContain('tonearm_events_consumer_lag{consumer="plays"} 0')
    expect(text).toMatch(/tonearm_events_ingested_total\{source="web"\} \d+/)
    expect(metrics.registry).toBeInstanceOf(Registry)
  })
})
