import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { ev, listen } from '../../events/test-support.ts'
import { testApp } from './test-app.ts'

let h: Awaited<ReturnType<typeof testApp>>
beforeAll(async () => {
  h = await testApp()
})
afterAll(() => h.close())

describe('POST /api/events', () => {
  it('stores a batch once, however often it is sent', async () => {
    const batch = { source: 'web', events: [...listen('t1', 60_000), ev('like', { trackId: 't1' })] }
    const first = await h.post(1, batch)
    expect(first.status).toBe(200)
    expect(await h.settle(first)).toMatchObject({ accepted: 3, duplicates: 0 })
    expect(await h.settle(await h.post(1, batch))).toMatchObject({ accepted: 0, duplicates: 3 })
  })

  it('rejects the whole batch with every bad field named', async () => {
    const head = h.events.head()
    const res = await h.post(1, {
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
    expect(h.events.head()).toBe(head)
  })

  it('answers bad requests with 4xx problems, never a 500', async () => {
    const unauth = await h.app.request('http://localhost/api/events', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    })
    expect([unauth.status, ((await unauth.json()) as { code: string }).code]).toEqual([401, 'unauthorized'])
    const malformed = await h.app.request(
      'http://localhost/api/events',
      h.as(1, { method: 'POST', body: '{"events": [' }),
    )
    expect(malformed.status).toBe(400)
    const notJson = await h.app.request(
      'http://localhost/api/events',
      h.as(1, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }),
    )
    expect(notJson.status).toBe(415)
    const huge = {
      events: [
        { ...ev('search', { query: 'x', trackId: null, chosen: null }), query: 'x'.repeat(3_000_000) },
      ],
    }
    const tooLarge = await h.post(1, huge)
    expect([tooLarge.status, ((await tooLarge.json()) as { code: string }).code]).toEqual([413, 'too_large'])
  })
})

describe('GET /api/events/stream', () => {
  const read = async (path: string, user: number, admin = false) => {
    const res = await h.app.request(`http://localhost${path}`, h.as(user, {}, admin))
    return {
      res,
      lines: (await res.text())
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    }
  }

  it('streams a user’s own events as NDJSON from an offset; admins see everyone', async () => {
    await h.settle(await h.post(2, { events: [ev('like', { trackId: 't2' })] }))
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
    expect((await h.get('/api/events/stream?follow=false&userId=2', 1)).status).toBe(403)
    expect((await h.get('/api/events/stream?from=-1', 1)).status).toBe(400)
  })

  it('keeps following: events appended later arrive on the open stream', async () => {
    const abort = new AbortController()
    const res = await h.app.request('http://localhost/api/events/stream', h.as(3, { signal: abort.signal }))
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
    await h.post(3, { events: [live] })
    expect(await nextLine()).toMatchObject({ eventId: live.eventId, userId: 3 })
    const later = ev('unlike', { trackId: 't1' })
    await h.post(3, { events: [later] })
    expect((await nextLine()).eventId).toBe(later.eventId)
    await reader.cancel()
    abort.abort()
  })
})
