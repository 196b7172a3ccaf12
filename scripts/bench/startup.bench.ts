// Foundation figures: binary size, cold start to a healthy /api/health, and idle RSS, for the
// compiled binary and the Node bundle, with running from source as the in-run reference.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { ENGINE_OPTIONS } from '../../src/compose/jsc-launch.ts'
import {
  ARM64_BINARY,
  BINARY,
  isolatedBinary,
  NODE_BUNDLE,
  nodeBundle,
} from '../../tests/helpers/launchers.ts'
import {
  fromSource,
  type Launcher,
  ROOT,
  removeDir,
  start,
  tempDir,
  waitForHealth,
} from '../../tests/helpers/server.ts'
import { against, emit, repeat, result } from './lib.ts'

// run.ts starts benchmarks with the server's JavaScriptCore options. Without them here the
// servers this starts relaunch themselves with them, as a user's does, and that is start-up time.
for (const k of Object.keys(ENGINE_OPTIONS)) delete process.env[k]

if (!existsSync(BINARY) || !existsSync(NODE_BUNDLE)) {
  process.stderr.write('startup bench: building first (npm run build)\n')
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] })
  if (b.status !== 0) process.exit(1)
}

const RUNS = 5

async function coldStart(l: Launcher): Promise<number> {
  const data = tempDir()
  const music = tempDir()
  const t0 = performance.now()
  const server = await start(l, ['--data', data, '--music', music])
  await waitForHealth(server.url)
  const ms = performance.now() - t0
  await server.stop('SIGKILL')
  removeDir(data)
  removeDir(music)
  return ms
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
  return line ? Number(line[1]) / 1024 : Number.NaN
}

// Idle = listening, database open, audio engine loaded, no requests for a few seconds.
async function idleRss(l: Launcher): Promise<number> {
  const data = tempDir()
  const music = tempDir()
  const server = await start(l, ['--data', data, '--music', music])
  await waitForHealth(server.url, (b) => b.components.audio?.status === 'ok')
  await Bun.sleep(3000)
  const mb = rssMb(server.proc.pid as number)
  await server.stop('SIGKILL')
  removeDir(data)
  removeDir(music)
  return mb
}

const bin = isolatedBinary()
const node = nodeBundle()
const src = await repeat(RUNS, () => coldStart(fromSource))
const binStart = await repeat(RUNS, () => coldStart(bin.launcher))
const nodeStart = await repeat(RUNS, () => coldStart(node))
const srcRef = result('cold start to healthy (bun from source)', 'ms', src)
const srcRss = result('idle RSS (bun from source)', 'MB', await repeat(3, () => idleRss(fromSource)))

emit([
  result('binary size (linux-x64)', 'MB', [statSync(BINARY).size / 1e6]),
  ...(existsSync(ARM64_BINARY)
    ? [result('binary size (linux-arm64)', 'MB', [statSync(ARM64_BINARY).size / 1e6])]
    : []),
  srcRef,
  against(result('cold start to healthy (binary)', 'ms', binStart), srcRef),
  against(result('cold start to healthy (node bundle)', 'ms', nodeStart), srcRef),
  srcRss,
  against(result('idle RSS (binary)', 'MB', await repeat(3, () => idleRss(bin.launcher))), srcRss),
  against(result('idle RSS (node bundle)', 'MB', await repeat(3, () => idleRss(node))), srcRss),
])
removeDir(bin.dir)
