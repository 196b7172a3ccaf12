import { Counter, Gauge, type Registry } from 'prom-client'
import type { Scanner } from '../catalog/index.ts'

/**
 * Scanner figures for /metrics. Live values are read from the scanner when Prometheus scrapes;
 * finished scans are counted from the scanner's events, so the scanner never knows about metrics.
 */
export function registerScanMetrics(
  registry: Registry,
  scanner: Scanner,
  counts: () => Record<'tracks' | 'albums' | 'artists', number>,
): void {
  const live = () => scanner.status().progress
  new Gauge({
    name: 'tonearm_scan_running',
    help: '1 while a library scan runs',
    registers: [registry],
    collect() {
      this.set(scanner.status().state === 'running' ? 1 : 0)
    },
  })
  new Gauge({
    name: 'tonearm_scan_progress_files',
    help: 'Files of the running scan: found (total) and handled so far (done)',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const p = live()
      this.set({ kind: 'total' }, p?.total ?? 0)
      this.set({ kind: 'done' }, p?.done ?? 0)
    },
  })
  new Gauge({
    name: 'tonearm_scan_files_per_second',
    help: 'Throughput of the running scan, else of the last one',
    registers: [registry],
    collect() {
      this.set(live()?.filesPerSecond ?? scanner.status().lastScan?.filesPerSecond ?? 0)
    },
  })
  new Gauge({
    name: 'tonearm_catalog_items',
    help: 'Present tracks, albums and artists in the catalog',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      for (const [kind, n] of Object.entries(counts())) this.set({ kind }, n)
    },
  })
  const scans = new Counter({
    name: 'tonearm_scans_total',
    help: 'Finished library scans by outcome',
    labelNames: ['status'] as const,
    registers: [registry],
  })
  const files = new Counter({
    name: 'tonearm_scan_files_total',
    help: 'Files handled by finished scans, by result',
    labelNames: ['result'] as const,
    registers: [registry],
  })
  const duration = new Gauge({
    name: 'tonearm_scan_last_duration_seconds',
    help: 'Duration of the last scan',
    registers: [registry],
  })
  scanner.events.on('scan.finished', (s) => {
    scans.inc({ status: s.status })
    for (const result of ['added', 'updated', 'removed', 'unchanged', 'problems'] as const)
      files.inc({ result }, s[result])
    duration.set(s.durationMs / 1000)
  })
}
