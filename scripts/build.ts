// `npm run build`: the three ways Tonearm ships.
//   dist/tonearm               Linux x64 executable (Bun runtime + everything embedded)
//   dist/tonearm-linux-arm64   the same, cross-compiled for 64-bit Raspberry Pi OS
//   dist/node/                 a Node >= 20 bundle for boards where Bun does not run
// Worker scripts must be extra entrypoints or a compiled binary silently never starts them, and
// `[name].[ext]` naming is what src/audio/engine/assets.ts expects to find beside the entry.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pkg from '../package.json' with { type: 'json' }

const ROOT = join(import.meta.dir, '..')
const DIST = join(ROOT, 'dist')
const BUN = process.execPath
const ENTRIES = ['src/main.ts', 'src/audio/engine/wasm-worker.ts', 'src/catalog/scanner/read-worker.ts']
// Native modules of the Node build; the Bun builds never load them (see src/platform/).
const NODE_NATIVE = ['better-sqlite3', 'ws']

const only = process.argv.slice(2)
const wanted = (name: string) => only.length === 0 || only.includes(name)

function bun(args: string[]): void {
  const t0 = performance.now()
  const r = spawnSync(BUN, ['build', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  if (r.status !== 0) {
    process.stderr.write(r.stdout)
    throw new Error(`bun build ${args.join(' ')} failed`)
  }
  process.stderr.write(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
}

function compile(target: string | null, outfile: string): void {
  process.stderr.write(`build: ${outfile}\n`)
  bun([
    '--compile',
    '--minify',
    '--sourcemap',
    ...(target ? [`--target=${target}`] : []),
    '--entry-naming',
    '[name].[ext]',
    ...[...NODE_NATIVE, 'drizzle-orm/better-sqlite3'].flatMap((m) => ['--external', m]),
    ...ENTRIES,
    '--outfile',
    join(DIST, outfile),
  ])
  // --sourcemap embeds the map in the executable; the loose copies beside it are of no use.
  for (const map of readdirSync(DIST).filter((f) => f.endsWith('.map'))) rmSync(join(DIST, map))
  process.stderr.write(`  ${outfile}: ${(statSync(join(DIST, outfile)).size / 1e6).toFixed(1)} MB\n`)
}

function nodeBundle(): void {
  const out = join(DIST, 'node')
  process.stderr.write('build: node/\n')
  rmSync(out, { recursive: true, force: true })
  bun([
    '--target=node',
    '--format=esm',
    '--entry-naming',
    '[name].[ext]',
    // Bun's SQLite driver imports bun:sqlite at its top; Node must never see it.
    ...['bun:sqlite', 'drizzle-orm/bun-sqlite'].flatMap((m) => ['--external', m]),
    ...NODE_NATIVE.flatMap((m) => ['--external', m]),
    '--outdir',
    out,
    ...ENTRIES,
  ])
  writeFileSync(join(out, 'tonearm.mjs'), "#!/usr/bin/env node\nimport './main.js'\n")
  const deps = Object.fromEntries(
    NODE_NATIVE.map((m) => [m, (pkg.dependencies as Record<string, string>)[m]]),
  )
  writeFileSync(
    join(out, 'package.json'),
    `${JSON.stringify({ name: 'tonearm-node', version: pkg.version, type: 'module', private: true, dependencies: deps }, null, 2)}\n`,
  )
  copyFileSync(join(ROOT, 'README.md'), join(out, 'README.md'))
}

mkdirSync(DIST, { recursive: true })
if (wanted('x64')) compile(null, 'tonearm')
if (wanted('arm64')) compile('bun-linux-arm64', 'tonearm-linux-arm64')
if (wanted('node')) nodeBundle()
