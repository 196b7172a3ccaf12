import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { openDatabase, type Sqlite } from '../../db/index.ts'
import { audioJobs } from '../../db/schema/audio.ts'
import { rejection } from '../engine/test-support.ts'
import { createAudioMetrics } from './metrics.ts'
import { createJobQueue, type JobHandler, type JobQueue, type JobSpec } from './queue.ts'

let dir: string
let sqlite: Sqlite
const queues: JobQueue[] = []

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tonearm-queue-'))
  sqlite = await openDatabase(dir)
})
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close()
  sqlite.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A job body that runs until the test releases it (or its signal aborts), recording what ran. */
function gatedWork() {
  const started: string[] = []
  const aborted: string[] = []
  const gates = new Map<string, () => void>()
  const handler: JobHandler = (spec, signal) =>
    new Promise<void>((resolve, reject) => {
      started.push(spec.key)
      gates.set(spec.key, resolve)
      signal.addEventListener('abort', () => {
        aborted.push(spec.key)
        reject(signal.reason)
      })
    })
  const release = (key: string) => gates.get(key)?.()
  return { handler, started, aborted, release }
}

function queueWith(handler: JobHandler, concurrency = 1, registry = new Registry()) {
  const q = createJobQueue({
    db: sqlite.db,
    handlers: { work: handler },
    concurrency,
    metrics: createAudioMetrics(registry),
  })
  queues.push(q)
  return q
}

const spec = (key: string, sourceId = 'track-1'): JobSpec => ({
  key,
  kind: 'work',
  source: { id: sourceId, path: `/music/${sourceId}.flac` },
  params: {},
})
/** Background submissions nobody awaits; they reject when the test closes the queue. */
const ignore = (p: Promise<unknown>) => void p.catch(() => undefined)
const tick = () => new Promise((r) => setTimeout(r, 5))
/** Above Linux's pid_max: no process has it. */
const DEAD_PID = 4_194_305

test('a user waiting on play jumps the queue and does not wait for background work', async () => {
  const work = gatedWork()
  const q = queueWith(work.handler)
  ignore(q.submit(spec('bg-1'), { priority: 'background' }))
  ignore(q.submit(spec('bg-2'), { priority: 'background' }))
  const prefetch = q.submit(spec('next'), { priority: 'prefetch' })
  await tick()
  expect(work.started).toEqual(['bg-1'])
  const play = q.submit(spec('play'), { priority: 'play' })
  await tick()
  expect(work.started).toEqual(['bg-1', 'play'])
  work.release('play')
  await play
  work.release('bg-1')
  await tick()
  expect(work.started).toEqual(['bg-1', 'play', 'next'])
  work.release('next')
  await prefetch
  await tick()
  expect(work.started.at(-1)).toBe('bg-2')
})

test('two requests for the same output share one job', async () => {
  const work = gatedWork()
  const q = queueWith(work.handler)
  const a = q.submit(spec('same'), { priority: 'play' })
  const b = q.submit(spec('same'), { priority: 'prefetch' })
  await tick()
  work.release('same')
  await Promise.all([a, b])
  expect(work.started).toEqual(['same'])
  expect(q.stats()).toMatchObject({ pending: 0, running: 0, done: 1 })
  expect(sqlite.db.select().from(audioJobs).all()).toEqual([])
})

test('when every waiting caller leaves, the running job is aborted; a kept job is not', async () => {
  const work = gatedWork()
  const q = queueWith(work.handler, 2)
  const leaving = new AbortController()
  const waited = rejection(q.submit(spec('skipped'), { priority: 'play', signal: leaving.signal }))
  const kept = new AbortController()
  ignore(q.submit(spec('kept'), { priority: 'background' }))
  const keptWaiter = rejection(q.submit(spec('kept'), { priority: 'play', signal: kept.signal }))
  await tick()
  leaving.abort(new Error('track skipped'))
  kept.abort(new Error('gone'))
  expect(String(await waited)).toContain('track skipped')
  expect(String(await keptWaiter)).toContain('gone')
  await tick()
  expect(work.aborted).toEqual(['skipped'])
  expect(sqlite.db.select({ key: audioJobs.key }).from(audioJobs).all()).toEqual([{ key: 'kept' }])
})

test("cancelSource stops a skipped track's prefetch and play jobs but keeps its background ladder", async () => {
  const work = gatedWork()
  const q = queueWith(work.handler)
  ignore(q.submit(spec('other-bg', 'track-2'), { priority: 'background' }))
  const pre = rejection(q.submit(spec('pre'), { priority: 'prefetch' }))
  ignore(q.submit(spec('ladder'), { priority: 'background' }))
  await tick()
  expect(q.cancelSource('track-1')).toBe(1)
  expect(String(await pre)).toContain('cancelled')
  expect(
    sqlite.db
      .select({ key: audioJobs.key })
      .from(audioJobs)
      .all()
      .map((r) => r.key)
      .sort(),
  ).toEqual(['ladder', 'other-bg'])
})

test('jobs left running by a crash run again at the next start', async () => {
  const first = gatedWork()
  const q = queueWith(first.handler)
  ignore(q.submit(spec('interrupted'), { priority: 'background' }).catch(() => undefined))
  await tick()
  expect(first.started).toEqual(['interrupted'])
  // What a kill -9 leaves behind: the row still says running, and its owner process is gone.
  expect(sqlite.db.select({ state: audioJobs.state }).from(audioJobs).all()).toEqual([{ state: 'running' }])
  sqlite.db
    .update(audioJobs)
    .set({ owner: `${DEAD_PID}.gone` })
    .run()
  const again = gatedWork()
  const restarted = queueWith(again.handler)
  await tick()
  expect(again.started).toEqual(['interrupted'])
  again.release('interrupted')
  await restarted.idle()
  expect(sqlite.db.select().from(audioJobs).all()).toEqual([])
})

test('a failed job keeps its reason, and asking again retries it; durations land in the metrics', async () => {
  let fail = true
  const registry = new Registry()
  const q = queueWith(
    async () => {
      if (fail) throw new Error('corrupt input')
    },
    1,
    registry,
  )
  expect(String(await rejection(q.submit(spec('broken'), { priority: 'play' })))).toContain('corrupt input')
  expect(sqlite.db.select({ state: audioJobs.state, error: audioJobs.error }).from(audioJobs).all()).toEqual([
    { state: 'failed', error: 'corrupt input' },
  ])
  fail = false
  await q.submit(spec('broken'), { priority: 'play' })
  const text = await registry.metrics()
  expect(text).toContain(
    'tonearm_audio_job_duration_seconds_count{kind="work",priority="play",outcome="failed"} 1',
  )
  expect(text).toContain(
    'tonearm_audio_job_duration_seconds_count{kind="work",priority="play",outcome="done"} 1',
  )
})

test('asking again for a job that is being cancelled starts it afresh instead of sharing its fate', async () => {
  const work = gatedWork()
  const q = queueWith(work.handler)
  const leaving = new AbortController()
  const first = rejection(q.submit(spec('seek-back'), { priority: 'play', signal: leaving.signal }))
  await tick()
  leaving.abort(new Error('seeked away'))
  const again = q.submit(spec('seek-back'), { priority: 'play' })
  expect(String(await first)).toContain('seeked away')
  await tick()
  expect(work.started).toEqual(['seek-back', 'seek-back'])
  work.release('seek-back')
  await again
})

test('two processes share the table: a job one runs, the other waits for instead of encoding it again', async () => {
  // A second connection and queue: `tonearm transcode` beside a running server.
  const other = await openDatabase(dir)
  const work = gatedWork()
  const otherWork = gatedWork()
  const server = queueWith(work.handler)
  const cli = createJobQueue({
    db: other.db,
    handlers: { work: otherWork.handler },
    concurrency: 1,
    metrics: createAudioMetrics(new Registry()),
  })
  try {
    ignore(server.submit(spec('ladder-1'), { priority: 'background' }))
    ignore(server.submit(spec('ladder-2'), { priority: 'background' }))
    await tick()
    expect(work.started).toEqual(['ladder-1'])
    // The live server's rows are not adopted: the new queue starts with nothing of its own.
    expect(cli.stats()).toMatchObject({ pending: 0, running: 0 })
    const waited = cli.submit(spec('ladder-1'), { priority: 'background' })
    // Pending rows go to whoever claims them first: the CLI takes the server's waiting job.
    const claimed = cli.submit(spec('ladder-2'), { priority: 'background' })
    await tick()
    expect(otherWork.started).toEqual(['ladder-2'])
    otherWork.release('ladder-2')
    await claimed
    work.release('ladder-1')
    await waited
    await server.idle()
    // Each ran once, in one process; the server counted the CLI's as done when it came to it.
    expect(work.started).toEqual(['ladder-1'])
    expect(otherWork.started).toEqual(['ladder-2'])
    expect(sqlite.db.select().from(audioJobs).all()).toEqual([])
  } finally {
    await cli.close()
    other.close()
  }
})

test('closing hands running jobs back as pending, and the next queue of a dead owner runs them', async () => {
  const work = gatedWork()
  const q = queueWith(work.handler)
  ignore(q.submit(spec('interrupted'), { priority: 'background' }))
  await tick()
  await q.close()
  expect(sqlite.db.select({ state: audioJobs.state }).from(audioJobs).all()).toEqual([{ state: 'pending' }])
  sqlite.db
    .update(audioJobs)
    .set({ owner: `${DEAD_PID}.gone` })
    .run()
  const again = gatedWork()
  const next = queueWith(again.handler)
  await tick()
  expect(again.started).toEqual(['interrupted'])
  again.release('interrupted')
  await next.idle()
  expect(sqlite.db.select().from(audioJobs).all()).toEqual([])
})
