// `npm run bench [-- --out DIR] [-- name-filter]`: runs every scripts/bench/*.bench.ts in its own
// process (so one benchmark's heap never colours the next) and writes report.json and report.md.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ENGINE_OPTIONS } from '../../src/compose/jsc-launch.ts'
import type { Result } from './lib.ts'

const args = process.argv.slice(2)
const outFlag = args.indexOf('--out')
const outDir = resolve(
  outFlag >= 0 ? (args[outFlag + 1] as string) : join(import.meta.dir, '..', '..', 'data', 'bench'),
)
const filters = args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out')

const files = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()

const report: { file: string; results: Result[]; error?: string }[] = []
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`)
  const r = spawnSync(process.execPath, [join(import.meta.dir, file)], {
    // The benchmarks run the server's code in their own process, so they start with the
    // JavaScriptCore options the server starts with (a value set by hand wins).
    env: { ...ENGINE_OPTIONS, ...process.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  })
  const last = r.stdout.trim().split('\n').pop() ?? ''
  try {
    report.push({ file, results: (JSON.parse(last) as { results: Result[] }).results })
  } catch {
    report.push({ file, results: [], error: `exit ${r.status}; no JSON result on stdout` })
  }
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3)
const md = [
  `# Tonearm benchmarks`,
  '',
  `${new Date().toISOString()} · ${process.platform}/${process.arch} · bun ${process.versions.bun}`,
  '',
  '| benchmark | measure | median | unit | runs | reference (median) | ratio |',
  '| --- | --- | ---: | --- | ---: | --- | ---: |',
  ...report.flatMap(({ file, results, error }) =>
    error
      ? [`| ${file} | **failed**: ${error} | | | | | |`]
      : results.map(
          (r) =>
            `| ${file.replace('.bench.ts', '')} | ${r.name} | ${fmt(r.median)} | ${r.unit} | ${r.samples.length} | ${
              r.reference ? `${r.reference.name} (${fmt(r.reference.median)})` : ''
            } | ${r.ratio ?? ''} |`,
        ),
  ),
  '',
]
mkdirSync(outDir, { recursive: true })
writeFileSync(
  join(outDir, 'report.json'),
  `${JSON.stringify({ at: new Date().toISOString(), report }, null, 2)}\n`,
)
writeFileSync(join(outDir, 'report.md'), md.join('\n'))
process.stdout.write(md.join('\n'))
process.stderr.write(`bench: wrote ${join(outDir, 'report.md')} and report.json\n`)
if (report.some((r) => r.error)) process.exit(1)
