import { Gauge, type Registry } from 'prom-client'
import type { LibraryProgress } from './work.ts'

/** Background library work in `/metrics`, beside the queue's own job gauges. */
export function createLibraryMetrics(registry: Registry) {
  const tracks = new Gauge({
    name: 'tonearm_audio_library_tracks',
    help: 'Background library work since start, by work (loudness, ladder) and state (done, failed, remaining, planned, over_budget)',
    labelNames: ['work', 'state'] as const,
    registers: [registry],
  })
  const running = new Gauge({
    name: 'tonearm_audio_library_running',
    help: '1 while a round of background loudness and ladder work runs',
    registers: [registry],
  })
  return {
    update(p: LibraryProgress): void {
      running.set(p.running ? 1 : 0)
      tracks.set({ work: 'loudness', state: 'done' }, p.loudness.done)
      tracks.set({ work: 'loudness', state: 'failed' }, p.loudness.failed)
      tracks.set({ work: 'loudness', state: 'remaining' }, p.loudness.remaining)
      tracks.set({ work: 'ladder', state: 'done' }, p.ladders.done)
      tracks.set({ work: 'ladder', state: 'failed' }, p.ladders.failed)
      tracks.set({ work: 'ladder', state: 'planned' }, p.ladders.planned)
      tracks.set({ work: 'ladder', state: 'over_budget' }, p.ladders.overBudget)
    },
  }
}
