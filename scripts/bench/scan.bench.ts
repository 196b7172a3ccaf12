// Library scanning: first-scan and unchanged-rescan throughput of `tonearm scan`, its peak RSS
// on the whole library and on half of it (memory must not grow with the library), and mpd's
// cold-database scan of the same files in the same run as the reference.

import { Database } from 'bun:sqlite'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { ENGINE_OPTIONS } from '../../src/compose/jsc-launch.ts'
import { BUN, ROOT, removeDir, tempDir } from '../../tests/helpers/server.ts'
import { against, emit, repeat, result } from './lib.ts'
import { benchLibrary } from './scan-library.ts'

// run.ts starts benchmarks with the server's JavaScriptCore options; `tonearm scan` starts with
// its own, and that is what is measured.
for (const k of Object.keys(ENGINE_OPTIONS)) delete process.env[k]

const FILES = 5040
const RUNS = 3
/** First scans against mpd: more pairs, since the ratio is the goal and the machine is shared. */
const PAIRS = 5
const lib = await benchLibrary(join(ROOT, 'data', 'bench-library'), FILES)

function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Number(kb) / 1024 : 0
  } catch {
    return 0
  }
}

/** One `tonearm scan`; seconds are the scan's own (from the scans table), like mpd's update time. */
async function tonearmScan(music: string, data: string): Promise<{ filesPerSecond: number; peakMb: number }> {
  const child = spawn(BUN, [join(ROOT, 'src', 'main.ts'), 'scan', '--music', music, '--data', data], {
    stdio: 'ignore',
  })
  let peak = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRssMb(child.pid as number))
  }, 20)
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  clearInterval(sampler)
  if (code !== 0) throw new Error(`tonearm scan exited ${code}`)
  const db = new Database(join(data, 'tonearm.db'), { readonly: true })
  const row = db.query('SELECT started_at, finished_at, stats FROM scans ORDER BY id DESC LIMIT 1').get() as {
    started_at: number
    finished_at: number
    stats: string
  }
  db.close()
  const done = (JSON.parse(row.stats) as { done: number }).done
  return { filesPerSecond: (done * 1000) / (row.finished_at - row.started_at), peakMb: peak }
}

/** One command over mpd's protocol: greeting line, command, then lines up to `OK` or `ACK …`. */
function mpdCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ path: socket })
    let text = ''
    let greeted = false
    c.on('data', (d) => {
      text += d
      if (!greeted && text.includes('\n')) {
        greeted = true
        text = text.slice(text.indexOf('\n') + 1)
        c.write(`${command}\n`)
      }
      if (greeted && /(^|\n)(OK|ACK [^\n]*)\n$/.test(text)) {
        c.end()
        resolve(text)
      }
    })
    c.on('error', reject)
  })
}

/** mpd's own update of a cold database, timed from the `update` command until it reports done. */
async function mpdScan(music: string): Promise<number> {
  const dir = tempDir('tonearm-mpd-')
  const socket = join(dir, 'mpd.sock')
  writeFileSync(
    join(dir, 'mpd.conf'),
    [
      `music_directory "${music}"`,
      `db_file "${join(dir, 'db')}"`,
      `log_file "${join(dir, 'log')}"`,
      `bind_to_address "${socket}"`,
      'auto_update "no"',
      'audio_output {\n type "null"\n name "null"\n}',
    ].join('\n'),
  )
  const mpd: ChildProcess = spawn('mpd', ['--no-daemon', join(dir, 'mpd.conf')], { stdio: 'ignore' })
  try {
    for (let i = 0; i < 200; i++) {
      if (
        await mpdCommand(socket, 'ping').then(
          () => true,
          () => false,
        )
      )
        break
      await Bun.sleep(25)
    }
    const t0 = performance.now()
    await mpdCommand(socket, 'update')
    while ((await mpdCommand(socket, 'status')).includes('updating_db')) await Bun.sleep(10)
    const seconds = (performance.now() - t0) / 1000
    const songs = Number(/songs: (\d+)/.exec(await mpdCommand(socket, 'stats'))?.[1])
    if (songs !== FILES) throw new Error(`mpd found ${songs} songs, expected ${FILES}`)
    return FILES / seconds
  } finally {
    mpd.kill('SIGTERM')
    await new Promise((r) => mpd.on('exit', r))
    removeDir(dir)
  }
}

const hasMpd = spawnSync('mpd', ['--version'], { stdio: 'ignore' }).status === 0
if (!hasMpd)
  process.stderr.write('scan bench: mpd not found (apt-get install -y mpd); no reference this run\n')

const dirs: string[] = []
const fresh = () => {
  const d = tempDir('tonearm-scan-bench-')
  dirs.push(d)
  return d
}
// Each first scan runs right beside an mpd scan, in alternating order, so a load that comes and
// goes on a shared machine weighs on both sides of the ratio alike (run one after the other, the
// ratio swung from 0.17 to 0.5 with the load).
const first: { filesPerSecond: number; peakMb: number }[] = []
const mpd: number[] = []
for (let i = 0; i < PAIRS; i++) {
  if (hasMpd && i % 2 === 1) mpd.push(await mpdScan(lib.dir))
  first.push(await tonearmScan(lib.dir, fresh()))
  if (hasMpd && i % 2 === 0) mpd.push(await mpdScan(lib.dir))
}
const data = dirs[dirs.length - 1] as string
const rescans = await repeat(RUNS, async () => (await tonearmScan(lib.dir, data)).filesPerSecond)
const half = await repeat(RUNS, async () => (await tonearmScan(lib.halves[0], fresh())).peakMb)
dirs.forEach(removeDir)
const pairRatios = mpd.map((m, i) => ((first[i]?.filesPerSecond ?? 0) / m).toFixed(2)).join(', ')

const firstScan = result(
  `first scan, ${FILES} files`,
  'files/s',
  first.map((r) => r.filesPerSecond),
)
const mpdRef = result(`mpd first scan (cold db), ${FILES} files`, 'files/s', mpd)
const halfRss = result(`peak RSS, first scan of ${FILES / 2} files`, 'MB', half)
emit([
  hasMpd
    ? { ...against(firstScan, mpdRef), note: `ratio of each back-to-back pair: ${pairRatios}` }
    : { ...firstScan, note: 'mpd not installed: no reference' },
  ...(hasMpd ? [mpdRef] : []),
  result(`rescan, nothing changed, ${FILES} files`, 'files/s', rescans),
  halfRss,
  against(
    result(
      `peak RSS, first scan of ${FILES} files`,
      'MB',
      first.map((r) => r.peakMb),
    ),
    halfRss,
  ),
])
