import { isAbsolute } from 'node:path'
import type { RunJob } from './types.ts'

const MAX_LOG_LINES = 5000

/**
 * Job files live in a throwaway directory per run; bare names keep a job from reaching
 * outside it (and keep WASM and native behaving the same).
 */
export function invalidJobFileName(job: RunJob): TypeError | undefined {
  for (const name of [
    ...Object.keys(job.inputs ?? {}),
    ...Object.keys(job.files ?? {}),
    ...(job.outputs ?? []),
  ]) {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
      return new TypeError(`ffmpeg job file name must be a bare file name, got ${JSON.stringify(name)}`)
    }
  }
  for (const path of Object.values(job.files ?? {})) {
    if (!isAbsolute(path)) return new TypeError(`ffmpeg job host file must be an absolute path, got ${path}`)
  }
  return undefined
}

/** Collects log lines, dropping the oldest so a chatty long run cannot grow without bound. */
export function createLogCollector(max = MAX_LOG_LINES): { push(line: string): void; lines(): string[] } {
  let lines: string[] = []
  return {
    push(line) {
      lines.push(line)
      if (lines.length > max * 2) lines = lines.slice(-max)
    },
    lines: () => lines.slice(-max),
  }
}
