import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { ev, listen } from '../../events/test-support.ts'
import { testApp } from './test-app.ts'

let h: Awaited<ReturnType<typeof testApp>>
beforeAll(async () => {
  h = await testApp()
})
afterAll(() => h.close())

describe('statistics', () => {
  it('serves charts, listening time, trending, skips, history and now playing', async () => {
    await h.settle(
      await h.post(4, {
        events: [
          ...listen('t2', 100_000),
          ...listen('t2', 100_000),
          ev('play_started', { trackId: 't1' }, { deviceId: 'kitchen' }),
        ],
      }),
    )
    await h.settle(await h.post(6, { source: 'web', events: listen('t1', 60_000) }))
    const me = await h.get('/api/stats/top?kind=track&period=week&scope=me', 4)
    expect(me.body).toEqual({
      kind: 'track',
      period: 'week',
      scope: 'me',
      items: [expect.objectContaining({ id: 't2', plays: 2 })],
    })
    const household = await h.get('/api/stats/top?period=all&scope=household', 4)
    expect((household.body.items as { id: string }[]).map((i) => i.id)).toEqual(['t2', 't1'])
    expect((await h.get('/api/stats/listening-time?period=week', 4)).body).toMatchObject({
      heardMs: 200_000,
      plays: 2,
    })
    expect((await h.get('/api/stats/trending?window=hour', 4)).body).toMatchObject({
      window: 'hour',
      items: [
        { trackId: 't2', plays: 2 },
        { trackId: 't1', plays: 1 },
      ],
    })
    expect((await h.get('/api/stats/skips?scope=household', 4)).body).toEqual({ items: [] })
    const history = await h.get('/api/stats/history?limit=1', 4)
    expect((history.body.items as unknown[]).length).toBe(1)
    const page2 = await h.get(`/api/stats/history?limit=1&cursor=${history.body.nextCursor}`, 4)
    expect(page2.body.nextCursor).toBeNull()
    expect(((await h.get('/api/stats/history', 5)).body.items as unknown[]).length).toBe(0)
    expect((await h.get('/api/stats/history?userId=4', 5)).status).toBe(403)
    expect(((await h.get('/api/stats/history?userId=4', 5, true)).body.items as unknown[]).length).toBe(2)
    const playing = (await h.get('/api/stats/now-playing', 5)).body.items as {
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
      const r = await h.get(path as string, 1)
      expect([r.status, r.type, r.body.field]).toEqual([400, 'application/problem+json', field])
    }
    expect((await h.app.request('http://localhost/api/stats/top')).status).toBe(401)
  })
})

describe('scrobbler credentials', () => {
  it('connects, lists and disconnects a service without ever returning the secret', async () => {
    const put = await h.app.request(
      'http://localhost/api/me/scrobblers/listenbrainz',
      h.as(6, { method: 'PUT', body: JSON.stringify({ token: 'tok-123' }) }),
    )
    expect(put.status).toBe(200)
    const text = await put.text()
    expect(text).not.toContain('tok-123')
    expect(JSON.parse(text)).toMatchObject({ service: 'listenbrainz', active: true, pending: 0 })
    expect((await h.get('/api/me/scrobblers', 6)).body.items).toHaveLength(1)
    expect((await h.get('/api/me/scrobblers', 7)).body.items).toHaveLength(0)
    const del = await h.app.request(
      'http://localhost/api/me/scrobblers/listenbrainz',
      h.as(6, { method: 'DELETE' }),
    )
    expect(del.status).toBe(204)
    expect((await h.get('/api/me/scrobblers', 6)).body.items).toHaveLength(0)
  })

  it('rejects unknown services and bad credentials precisely', async () => {
    const bad = await h.app.request(
      'http://localhost/api/me/scrobblers/spotify',
      h.as(6, { method: 'PUT', body: '{}' }),
    )
    expect([bad.status, ((await bad.json()) as { field: string }).field]).toEqual([400, 'service'])
    const empty = await h.app.request(
      'http://localhost/api/me/scrobblers/lastfm',
      h.as(6, { method: 'PUT', body: '{"sessionKey":""}' }),
    )
    expect([empty.status, ((await empty.json()) as { field: string }).field]).toEqual([400, 'sessionKey'])
  })
})

describe('documentation and metrics', () => {
  it('documents every route in the OpenAPI document and exposes consumer lag', async () => {
    const doc = (await (await h.app.request('http://localhost/api/openapi.json')).json()) as {
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
    const text = await (await h.app.request('http://localhost/metrics')).text()
    expect(text).toContain('tonearm_events_consumer_lag{consumer="plays"} 0')
    expect(text).toMatch(/tonearm_events_ingested_total\{source="web"\} \d+/)
  })
})
