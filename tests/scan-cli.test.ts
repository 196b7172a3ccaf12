import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { demoLibrary } from './helpers/library.ts'
import { BUN, fromSource, ROOT, removeDir, run, tempDir } from './helpers/server.ts'
import { retagMp3 } from './helpers/tags.ts'

// `tonearm scan` as scripts and cron use it, including being killed halfway.

setDefaultTimeout(120_000)
const FILES = 600
let music: string
const dirs: string[] = []
const fresh = () => {
  const d = tempDir()
  dirs.push(d)
  return d
}

beforeAll(async () => {
  const mp3 = readFileSync(
    join(await demoLibrary(), 'Ångström Collective/2023 - Polar Drift/1-01 - Midnight Sun.mp3'),
  )
  music = fresh()
  for (let i = 0; i < FILES; i++) {
    const dir = join(music, `Artist ${Math.floor(i / 10) % 7}`, `Album ${Math.floor(i / 10)}`)
    if (i % 10 === 0) mkdirSync(dir, { recursive: true })
    const tags: [string, string][] = [
      ['TIT2', `Song ${i}`],
      ['TPE1', `Artist ${Math.floor(i / 10) % 7}`],
      ['TALB', `Album ${Math.floor(i / 10)}`],
      ['TRCK', String((i % 10) + 1)],
    ]
    // Distinct audio per file (a few bytes of the payload differ), as in a real library.
    const bytes = retagMp3(mp3, { text: tags })
    const audio = bytes.slice()
    audio[audio.length - 200] = i & 255
    audio[audio.length - 201] = i >> 8
    writeFileSync(join(dir, `${i}.mp3`), audio)
  }
})
afterAll(() => dirs.forEach(removeDir))

const catalogOf = (data: string) => {
  const db = new Database(join(data, 'tonearm.db'), { readonly: true })
  const rows = db.query('SELECT dir, name, title, missing_at FROM tracks ORDER BY dir, name').all()
  const integrity = db.query('PRAGMA integrity_check').all()
  const scans = db.query('SELECT status FROM scans ORDER BY id').all()
  db.close()
  return { rows, integrity, scans }
}

describe('tonearm scan', () => {
  it('prints plain progress lines off a terminal and a summary', async () => {
    const data = fresh()
    const r = await run(fromSource, ['scan', '--data', data, '--music', music])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('scan: 0 files found')
    expect(r.stdout).toMatch(
      new RegExp(
        `^scan done: ${FILES} files in [\\d.]+ s \\(\\d+ files/s\\): ${FILES} added, 0 updated, 0 removed, 0 unchanged, 0 problems\\n$`,
      ),
    )
    const again = await run(fromSource, ['scan', '--data', data, '--music', music])
    expect(again.stdout).toContain(`0 added, 0 updated, 0 removed, ${FILES} unchanged`)
  })

  it('leaves a consistent catalog when killed with SIGKILL, and the next run completes it', async () => {
    const data = fresh()
    const child = spawn(BUN, [join(ROOT, 'src', 'main.ts'), 'scan', '--data', data, '--music', music], {
      stdio: 'ignore',
    })
    const exited = new Promise((r) => child.on('exit', r))
    let written = 0
    for (let i = 0; i < 400 && written < 50; i++) {
      await Bun.sleep(10)
      try {
        const db = new Database(join(data, 'tonearm.db'), { readonly: true })
        written = (db.query('SELECT count(*) AS n FROM tracks').get() as { n: number }).n
        db.close()
      } catch {
        // not created yet
      }
    }
    child.kill('SIGKILL')
    await exited
    const killed = catalogOf(data)
    expect(killed.integrity).toEqual([{ integrity_check: 'ok' }])
    expect(killed.rows.length).toBeGreaterThan(0)
    expect(killed.rows.length).toBeLessThan(FILES)
    expect(killed.scans).toEqual([{ status: 'running' }])

    const resumed = await run(fromSource, ['scan', '--data', data, '--music', music])
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain(`${FILES - killed.rows.length} added`)
    const clean = fresh()
    expect((await run(fromSource, ['scan', '--data', clean, '--music', music])).code).toBe(0)
    const after = catalogOf(data)
    expect(after.rows).toEqual(catalogOf(clean).rows)
    expect(after.rows).toHaveLength(FILES)
    expect(after.scans).toEqual([{ status: 'interrupted' }, { status: 'done' }])
  })

  it('relaunches itself without FTL in the same process: its signals and exit codes reach the caller', async () => {
    const data = fresh()
    // Holding the scan lock keeps the scan waiting, long enough to look at the running process.
    const lock = new Database(join(data, 'scan.lock'))
    lock.exec('PRAGMA journal_mode = DELETE')
    lock.exec('BEGIN EXCLUSIVE')
    const env = { ...process.env }
    delete env.BUN_JSC_useFTLJIT
    const child = spawn(BUN, [join(ROOT, 'src', 'main.ts'), 'scan', '--data', data, '--music', music], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.on('exit', r))
    for (let i = 0; i < 1000 && !stderr.includes('waiting'); i++) await Bun.sleep(10)
    expect(stderr).toContain('another scan of this library is running')
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0')
    expect(environ).toContain('BUN_JSC_useFTLJIT=0')
    lock.exec('ROLLBACK')
    lock.close()
    let written = 0
    for (let i = 0; i < 1000 && written < 50; i++) {
      await Bun.sleep(10)
      written = catalogOf(data).rows.length
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(catalogOf(data).scans).toEqual([{ status: 'interrupted' }])

    const refused = await run(fromSource, ['scan', '--data', fresh(), '--music', join(music, 'nowhere')])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('does not exist')
  })

  it('stopped while another scan holds the library: prints its summary and exits 130, writing nothing', async () => {
    const data = fresh()
    const lock = new Database(join(data, 'scan.lock'))
    lock.exec('PRAGMA journal_mode = DELETE')
    lock.exec('BEGIN EXCLUSIVE')
    try {
      const child = spawn(BUN, [join(ROOT, 'src', 'main.ts'), 'scan', '--data', data, '--music', music], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      const exited = new Promise<number | null>((r) => child.on('exit', r))
      for (let i = 0; i < 1000 && !stderr.includes('waiting'); i++) await Bun.sleep(10)
      expect(stderr).toContain('another scan of this library is running')
      child.kill('SIGTERM')
      expect(await exited).toBe(130)
      expect(stdout).toContain('scan interrupted: 0 files')
      expect(catalogOf(data).rows).toEqual([])
      expect(catalogOf(data).scans).toEqual([])
    } finally {
      lock.exec('ROLLBACK')
      lock.close()
    }
  })

  it('refuses stray arguments and --full outside scan', async () => {
    expect((await run(fromSource, ['scan', 'now', '--music', music, '--data', fresh()])).stderr).toContain(
      'unexpected argument "now"',
    )
    expect((await run(fromSource, ['--full', '--music', music, '--data', fresh()])).stderr).toContain(
      '--full only applies to: tonearm scan',
    )
  })
})
