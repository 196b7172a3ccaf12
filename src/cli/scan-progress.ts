import type { ScanProgress, ScanSummary } from '../catalog/index.ts'

// `tonearm scan` output: a redrawn bar on a terminal, plain lines for logs and cron mail, and a
// one-paragraph summary at the end either way.

const BAR = 28
const PLAIN_EVERY_MS = 5000

export interface ScanReporter {
  progress(p: ScanProgress): void
  waiting(): void
  finish(s: ScanSummary): string
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export function createScanReporter(out: { write(s: string): unknown; isTTY?: boolean }): ScanReporter {
  let lastPlain = 0
  let lastPhase = ''
  let drawn = false
  return {
    progress(p) {
      const counted = p.phase === 'counting' ? `${p.total} files found` : `${p.done}/${p.total} files`
      const detail = `${counted} · ${p.filesPerSecond} files/s · ${plural(p.problems, 'problem')} · ${p.phase}`
      if (out.isTTY) {
        const fraction = p.total > 0 && p.phase !== 'counting' ? Math.min(1, p.done / p.total) : 0
        const filled = Math.round(fraction * BAR)
        out.write(
          `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${Math.round(fraction * 100)}% ${detail}`,
        )
        drawn = true
        return
      }
      if (p.phase === lastPhase && Date.now() - lastPlain < PLAIN_EVERY_MS) return
      lastPhase = p.phase
      lastPlain = Date.now()
      out.write(`scan: ${detail}\n`)
    },
    waiting() {
      out.write(
        'scan: another scan of this library is running (a server or another tonearm scan); waiting for it\n',
      )
    },
    finish(s) {
      if (drawn) out.write('\r\x1b[2K')
      const seconds = (s.durationMs / 1000).toFixed(1)
      const lines = [
        `scan ${s.status}: ${plural(s.done, 'file')} in ${seconds} s (${s.filesPerSecond} files/s): ` +
          `${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged, ${plural(s.problems, 'problem')}`,
        ...s.unreachable.map(
          (dir) =>
            `  music folder missing or empty (a disk not mounted?), its tracks left as they were: ${dir}`,
        ),
        ...(s.problems > 0 ? ['  files that could not be read are listed at GET /api/scan/problems'] : []),
        ...(s.error ? [`  error: ${s.error}`] : []),
      ]
      return `${lines.join('\n')}\n`
    },
  }
}
