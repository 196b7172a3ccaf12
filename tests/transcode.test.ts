import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createWasmEngine } from '../src/audio/engine/wasm-engine.ts'
import { makeFixture } from '../src/audio/testing/fixtures.ts'
import { fromSource, type Running, removeDir, run, start, tempDir, waitForHealth } from './helpers/server.ts'

setDefaultTimeout(120_000)

let music: string
let data: string

beforeAll(async () => {
  music = tempDir()
  data = tempDir()
  const engine = await createWasmEngine({ workers: 1 })
  // A minute at 320 kbps: ladder jobs of ten segments, each long enough to kill mid-encode.
  await makeFixture(engine, music, 'minute.flac', { seconds: 60 })
  await engine.close()
})
afterAll(() => {
  removeDir(music)
  removeDir(data)
})

function cachedFiles(): string[] {
  const root = join(data, 'cache', 'audio')
  const found: string[] = []
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else found.push(relative(root, join(dir, e.name)))
    }
  }
  if (existsSync(root)) walk(root)
  return found
}

const jobRows = () => {
  const db = new Database(join(data, 'tonearm.db'), { readonly: true })
  db.run('PRAGMA busy_timeout = 5000')
  try {
    return db.query('SELECT kind, state, attempts FROM audio_jobs ORDER BY id').all() as {
      kind: string
      state: string
      attempts: number
    }[]
  } finally {
    db.close()
  }
}

test('a transcode killed mid-job leaves no partial file, and the next run retries the job and finishes', async () => {
  mkdirSync(data, { recursive: true })
  const args = ['transcode', music, '--data', data, '--engine', 'wasm', '--ladder', '320']
  const [cmd, ...pre] = fromSource.command
  const child = spawn(cmd as string, [...pre, ...args], { stdio: 'ignore' })
  const exited = new Promise((resolve) => child.on('exit', resolve))
  // Kill it as soon as a segment job is running inside a worker and the other is queued.
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    // Until the CLI has created and migrated the database there is nothing to read.
    const rows = existsSync(join(data, 'tonearm.db'))
      ? (() => {
          try {
            return jobRows()
          } catch {
            return []
          }
        })()
      : []
    // Both ladder jobs queued (the CLI inserts them one after the other) and the first one running.
    const segments = rows.filter((r) => r.kind === 'segments')
    if (segments.length === 2 && segments.some((r) => r.state === 'running')) break
    await Bun.sleep(20)
  }
  child.kill('SIGKILL')
  await exited
  // 11 segments (2 s, then 6 s each) in two ladder jobs: the first was running, the second waiting.
  expect(jobRows().filter((r) => r.kind === 'segments')).toEqual([
    { kind: 'segments', state: 'running', attempts: 1 },
    { kind: 'segments', state: 'pending', attempts: 0 },
  ])
  // Nothing under a cache name: the encode never finished, and temp files are not cache entries.
  expect(cachedFiles().filter((f) => !f.startsWith('.tmp/'))).toEqual([])

  const again = await run(fromSource, args)
  expect(again.code).toBe(0)
  expect(again.stdout).toContain('transcoded 1 of 1 files')
  expect(jobRows()).toEqual([])
  const segments = cachedFiles().filter((f) => f.endsWith('.m4s'))
  expect(segments.length).toBe(11)
  expect(cachedFiles().filter((f) => f.startsWith('.tmp/'))).toEqual([])
})

describe('tonearm transcode over the scanned library', () => {
  let lib: string
  let libData: string
  let server: Running | undefined
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    lib = tempDir()
    libData = tempDir()
    const engine = await createWasmEngine({ workers: 1 })
    for (const [album, title, no, seconds] of [
      ['Alpha', 'One', 1, 14],
      ['Alpha', 'Two', 2, 14],
      ['Beta', 'Long', 1, 40],
    ] as const) {
      mkdirSync(join(lib, album), { recursive: true })
      await makeFixture(engine, join(lib, album), `${no}.flac`, {
        seconds,
        extra: ['-metadata', `title=${title}`, '-metadata', `album=${album}`, '-metadata', 'artist=Tester'],
      })
    }
    await engine.close()
    expect((await run(fromSource, ['scan', '--music', lib, '--data', libData])).code).toBe(0)
    const db = new Database(join(libData, 'tonearm.db'), { readonly: true })
    for (const row of db.query('SELECT id, name FROM albums').all() as { id: number; name: string }[])
      ids[row.name] = row.id
    db.close()
  })
  afterAll(async () => {
    await server?.stop()
    removeDir(lib)
    removeDir(libData)
  })

  const transcodeLib = (...flags: string[]) =>
    run(fromSource, ['transcode', '--data', libData, '--engine', 'wasm', '--ladder', '96', ...flags])

  test('bad filters are usage errors naming the flag', async () => {
    const bad = await transcodeLib('--recent', 'many')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--recent must be a positive whole number, got "many"')
    const both = await transcodeLib(lib, '--album', '1')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('paths or library filters')
    const none = await transcodeLib('--album', '99999')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no tracks match')
  })

  test('beside a running server: an album, then only what is missing; the server plays from that cache', async () => {
    // The server measures loudness in the background too: the same jobs, shared through the queue.
    server = await start(
      fromSource,
      [
        ...['--data', libData, '--music', lib, '--engine', 'wasm', '--ladder', '96'],
        ...['--ladder-work', 'on-demand'],
      ],
      { admin: true },
    )
    await waitForHealth(server.url, (b) => b.components.audio?.status === 'ok')

    const album = await transcodeLib('--album', String(ids.Alpha))
    expect(album.code).toBe(0)
    expect(album.stdout).toContain('transcoded 2 of 2 tracks')
    const missing = await transcodeLib('--missing')
    expect(missing.code).toBe(0)
    expect(missing.stdout).toContain('transcoded 1 of 3 tracks in')
    expect(missing.stdout).toContain('2 already complete')
    const again = await transcodeLib('--missing')
    expect(again.stdout).toContain('transcoded 0 of 3 tracks in')
    expect(again.stdout).toContain('3 already complete')

    // The server never encoded a segment: the ones the CLI made are found in the shared cache.
    const tracks = (await (await server.api('/api/tracks?limit=10')).json()) as {
      items: { id: number; loudness: { basis: string } }[]
    }
    const played = (await (
      await server.api(`/api/tracks/${tracks.items[0]?.id}/play`, { method: 'POST' })
    ).json()) as { gain: { basis: string }; renditions: { id: string; url: string }[] }
    expect(played.gain.basis).toBe('ebur128')
    expect(tracks.items.every((t) => t.loudness.basis === 'ebur128')).toBe(true)
    const media = new URL(played.renditions.find((r) => r.id === 'aac-96')?.url as string, server.url)
    const playlist = await (await fetch(media)).text()
    const segments = playlist.split('\n').filter((l) => l && !l.startsWith('#'))
    for (const s of segments) expect((await fetch(new URL(s, media))).status).toBe(200)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).not.toMatch(/tonearm_audio_cache_misses_total\{kind="segment"\} [1-9]/)
    expect(metrics).toMatch(/tonearm_audio_cache_hits_total\{kind="segment"\} [1-9]/)
  })

  test('Ctrl-C stops at once: exit 130, a summary, no running rows and no partial files', async () => {
    const [cmd, ...pre] = fromSource.command
    const child = spawn(
      cmd as string,
      [...pre, 'transcode', '--data', libData, '--engine', 'wasm', '--ladder', '320'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const deadline = Date.now() + 60_000
    const db = new Database(join(libData, 'tonearm.db'), { readonly: true })
    const running = () =>
      db
        .query(`SELECT count(*) AS n FROM audio_jobs WHERE state = 'running' AND owner LIKE ?`)
        .get(`${child.pid}.%`) as { n: number }
    while (Date.now() < deadline && running().n === 0) await Bun.sleep(20)
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stdout).toContain('interrupted: transcoded')
    expect(running().n).toBe(0)
    expect(
      (
        db.query(`SELECT count(*) AS n FROM audio_jobs WHERE owner LIKE ?`).get(`${child.pid}.%`) as {
          n: number
        }
      ).n,
    ).toBeGreaterThan(0)
    db.close()
    const temp = join(libData, 'cache', 'audio', '.tmp')
    expect(readdirSync(temp).filter((f) => f.startsWith(`${child.pid}-`))).toEqual([])
  })
})
