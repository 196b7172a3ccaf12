import { afterAll, beforeAll, expect, it, setDefaultTimeout } from 'bun:test'
import { subsonicFixture } from '../src/api/subsonic/testing.ts'

// Stars and ratings live in the library; recommendations learn from the listening log. A Subsonic
// app's star must reach both, or what the household likes is invisible to everything downstream.

setDefaultTimeout(120_000)
let f: Awaited<ReturnType<typeof subsonicFixture>>
let anna: { id: number; password: string }
let song: number

beforeAll(async () => {
  f = await subsonicFixture()
  anna = await f.user('anna')
  song = f.catalog.listSongs({ limit: 1 })[0]?.id as number
})
afterAll(async () => {
  await f?.close()
})

async function call(endpoint: string, params: Record<string, string>) {
  const res = await f.get(endpoint, {
    u: 'anna',
    p: anna.password,
    v: '1.16.1',
    c: 'feedback',
    f: 'json',
    ...params,
  })
  const body = (await res.json()) as { 'subsonic-response': { status: string } }
  expect(body['subsonic-response'].status).toBe('ok')
  await f.events.reached(f.events.head())
}

const feedback = () =>
  f.sqlite.all<{ liked: number | null; rating: number | null }>(
    'SELECT liked, rating FROM track_feedback WHERE user_id = ? AND track_id = ?',
    anna.id,
    String(song),
  )

it('a star and a rating from a Subsonic app land in the listening log as like and rate', async () => {
  await call('star', { id: `tr-${song}` })
  await call('setRating', { id: `tr-${song}`, rating: '3' })
  expect(feedback()).toEqual([{ liked: 1, rating: 3 }])
  await call('unstar', { id: `tr-${song}` })
  expect(feedback()).toEqual([{ liked: 0, rating: 3 }])
  const logged = f.sqlite.all<{ type: string; source: string }>(
    'SELECT type, source FROM events WHERE user_id = ? ORDER BY "offset"',
    anna.id,
  )
  expect(logged).toEqual([
    { type: 'like', source: 'api' },
    { type: 'rate', source: 'api' },
    { type: 'unlike', source: 'api' },
  ])
})

it('reportPlayback: now playing shows a paused app as paused, and heartbeats log nothing new', async () => {
  const report = (state: string, positionMs: number) =>
    call('reportPlayback', {
      mediaId: `tr-${song}`,
      mediaType: 'song',
      state,
      positionMs: String(positionMs),
    })
  const nowPlaying = async () => {
    const res = await f.get('getNowPlaying', {
      u: 'anna',
      p: anna.password,
      v: '1.16.1',
      c: 'feedback',
      f: 'json',
    })
    const body = (await res.json()) as {
      'subsonic-response': { nowPlaying: { entry?: { id: string; state: string; positionMs: number }[] } }
    }
    return (body['subsonic-response'].nowPlaying.entry ?? []).map((e) => [e.id, e.state, e.positionMs])
  }
  const logged = () =>
    f.sqlite.all<{ type: string }>(
      `SELECT type FROM events WHERE user_id = ? AND type IN ('play_started', 'pause', 'resume', 'play_ended') ORDER BY "offset"`,
      anna.id,
    )
  await report('starting', 0)
  await report('playing', 0) // the heartbeat right after the start
  expect((await nowPlaying()).map(([id, state]) => [id, state])).toEqual([[`tr-${song}`, 'playing']])
  await report('paused', 3_000) // the demo songs are 6 s long
  expect(await nowPlaying()).toEqual([[`tr-${song}`, 'paused', 3_000]])
  await report('playing', 3_000)
  const [[, state, position]] = (await nowPlaying()) as [[string, string, number]]
  expect([state, position >= 3_000 && position < 6_000]).toEqual(['playing', true])
  await report('playing', 3_200) // where it should be: a heartbeat
  await report('stopped', 3_500)
  expect(await nowPlaying()).toEqual([])
  expect(logged().map((e) => e.type)).toEqual(['play_started', 'pause', 'resume', 'play_ended'])
})
