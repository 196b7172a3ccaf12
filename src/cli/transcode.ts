import { readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import type { AudioService, Source } from '../audio/index.ts'
import { invalid } from '../lib/errors.ts'
import { createProgress } from './progress.ts'

// `tonearm transcode`: build every HLS rung and the loudness of files, folders or the scanned
// library now, so that playback later never waits on a transcode.

const AUDIO_EXTENSIONS = new Set([
  '.flac',
  '.mp3',
  '.m4a',
  '.mp4',
  '.aac',
  '.ogg',
  '.oga',
  '.opus',
  '.wav',
  '.aif',
  '.aiff',
  '.wv',
  '.ape',
])

async function collect(path: string, into: string[]): Promise<void> {
  const s = await stat(path).catch(() => undefined)
  if (!s) throw invalid(`transcode: ${path} does not exist`)
  if (s.isFile()) {
    into.push(path)
    return
  }
  const entries = await readdir(path, { withFileTypes: true })
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) await collect(child, into)
    else if (entry.isFile() && AUDIO_EXTENSIONS.has(extname(entry.name).toLowerCase())) into.push(child)
  }
}

/** Files and folders given on the command line, as sources known by their path. */
export async function sourcesFromPaths(paths: string[]): Promise<Item[]> {
  const files: string[] = []
  for (const p of paths) await collect(resolve(p), files)
  return files.map((path) => ({ source: { id: `file:${path}`, path }, label: path }))
}

/** The library flags: `--album ID`, `--artist ID`, `--recent N`, `--missing`. */
export interface LibraryFilter {
  albumId?: number
  artistId?: number
  recent?: number
  missing: boolean
}

export function libraryFilter(flags: Record<string, unknown>): LibraryFilter {
  const positive = (name: string): number | undefined => {
    const raw = flags[name]
    if (raw === undefined) return undefined
    const n = Number(raw)
    if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1)
      throw invalid(`--${name} must be a positive whole number, got "${String(raw)}"`)
    return n
  }
  return {
    albumId: positive('album'),
    artistId: positive('artist'),
    recent: positive('recent'),
    missing: flags.missing === true,
  }
}

export const filtersGiven = (f: LibraryFilter) =>
  f.albumId !== undefined || f.artistId !== undefined || f.recent !== undefined || f.missing

export interface Item {
  source: Source
  label: string
}

export interface TranscodeSummary {
  total: number
  built: number
  complete: number
  failed: number
  interrupted: boolean
  seconds: number
}

/** Tracks in progress at once: enough to keep the workers fed, few enough to stop at once. */
const IN_FLIGHT = 4

export async function runTranscode(opts: {
  items: Item[]
  audio: AudioService
  out: NodeJS.WriteStream
  /** What the items are called in the output: files or tracks. */
  noun: 'files' | 'tracks'
  /** Skip, without counting as work, items whose ladder and loudness are complete already. */
  missingOnly?: boolean
  /** Ctrl-C: nothing new starts; what was queued is left to the next run or server start. */
  signal?: AbortSignal
}): Promise<TranscodeSummary> {
  const { audio, items, noun, signal } = opts
  const progress = createProgress(opts.out)
  const started = performance.now()
  const summary: TranscodeSummary = {
    total: items.length,
    built: 0,
    complete: 0,
    failed: 0,
    interrupted: false,
    seconds: 0,
  }
  const base = audio.stats().done
  const tick = setInterval(() => {
    const s = audio.stats()
    const visited = summary.built + summary.complete + summary.failed
    progress.update(
      visited,
      items.length,
      `${noun} · ${s.done - base} jobs done, ${s.pending + s.running} queued · ${(s.cacheBytes / 1e6).toFixed(0)} MB cached`,
    )
  }, 250)

  async function one({ source, label }: Item): Promise<void> {
    try {
      if (opts.missingOnly && (await audio.ladderComplete(source))) {
        summary.complete += 1
        return
      }
      await audio.enqueueLadder(source, 'background')
      const loudness = await audio.knownLoudness(source)
      summary.built += 1
      progress.line(
        `done    ${label}  (${loudness ? `${loudness.integratedLufs.toFixed(1)} LUFS, ${loudness.truePeakDbtp.toFixed(1)} dBTP` : 'no loudness'})`,
      )
    } catch (error) {
      if (signal?.aborted) return
      summary.failed += 1
      progress.line(`failed  ${label}: ${(error as Error).message.split('\n')[0]}`)
    }
  }

  const running = new Set<Promise<void>>()
  for (const item of items) {
    if (signal?.aborted) break
    const p = one(item).then(() => void running.delete(p))
    running.add(p)
    if (running.size >= IN_FLIGHT) await Promise.race(running)
  }
  await Promise.all(running)
  clearInterval(tick)
  progress.finish()
  summary.interrupted = signal?.aborted === true
  summary.seconds = (performance.now() - started) / 1000
  const s = audio.stats()
  const parts = [
    `${summary.interrupted ? 'interrupted: ' : ''}transcoded ${summary.built} of ${items.length} ${noun} in ${summary.seconds.toFixed(1)} s`,
    ...(summary.complete ? [`${summary.complete} already complete`] : []),
    ...(summary.failed ? [`${summary.failed} failed`] : []),
  ]
  opts.out.write(
    `${parts.join(', ')}; ${s.done - base} jobs; cache ${(s.cacheBytes / 1e6).toFixed(1)} MB in ${s.cacheFiles} files\n`,
  )
  if (summary.interrupted)
    opts.out.write(
      'jobs already queued finish at the next start of the server or of tonearm transcode; run again (with --missing) for the rest\n',
    )
  return summary
}
