import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createWasmEngine } from '../src/audio/engine/wasm-engine.ts'
import { makeFixture } from '../src/audio/testing/fixtures.ts'
import { fromSource, removeDir, run, tempDir } from './helpers/server.ts'

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
