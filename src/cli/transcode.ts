import { readdir, stat } from 'node:fs/promises'
import { extname, join, resolve } from 'node:path'
import type { AudioService, Source } from '../audio/index.ts'
import { invalid } from '../lib/errors.ts'
import { createProgress } from './progress.ts'

// `tonearm transcode PATH…`: build every HLS rung and the loudness of the given files now, so
// that playback later never waits on a transcode.

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

export interface TranscodeSummary {
  files: number
  failed: number
  seconds: number
}

export async function runTranscode(opts: {
  paths: string[]
  audio: AudioService
  out: NodeJS.WriteStream
}): Promise<TranscodeSummary> {
  if (opts.paths.length === 0)
    throw invalid('transcode needs files or folders: tonearm transcode PATH… --data DIR')
  const files: string[] = []
  for (const p of opts.paths) await collect(resolve(p), files)
  const { audio } = opts
  const progress = createProgress(opts.out)
  const started = performance.now()
  let finished = 0
  let failed = 0
  const base = audio.stats().done
  const tick = setInterval(() => {
    const s = audio.stats()
    const done = s.done - base
    progress.update(
      done,
      done + s.pending + s.running,
      `jobs · ${finished}/${files.length} files · ${(s.cacheBytes / 1e6).toFixed(0)} MB cached`,
    )
  }, 250)
  await Promise.all(
    files.map(async (path) => {
      // Until the catalog hands out track ids, a file is known by its path.
      const source: Source = { id: `file:${path}`, path }
      try {
        await audio.enqueueLadder(source, 'background')
        const loudness = await audio.knownLoudness(source)
        finished += 1
        progress.line(
          `done    ${path}  (${loudness ? `${loudness.integratedLufs.toFixed(1)} LUFS, ${loudness.truePeakDbtp.toFixed(1)} dBTP` : 'no loudness'})`,
        )
      } catch (error) {
        failed += 1
        progress.line(`failed  ${path}: ${(error as Error).message.split('\n')[0]}`)
      }
    }),
  )
  clearInterval(tick)
  progress.finish()
  const seconds = (performance.now() - started) / 1000
  const s = audio.stats()
  opts.out.write(
    `transcoded ${finished} of ${files.length} files in ${seconds.toFixed(1)} s` +
      `${failed ? `, ${failed} failed` : ''}; ${s.done - base} jobs; cache ${(s.cacheBytes / 1e6).toFixed(1)} MB in ${s.cacheFiles} files\n`,
  )
  return { files: files.length, failed, seconds }
}
