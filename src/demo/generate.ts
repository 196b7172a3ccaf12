import { mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { AudioEngine } from '../audio/index.ts'
import { coverJpegArgs, renderCoverRgb } from './cover.ts'
import { encodeTrackArgs } from './encode.ts'
import { isComplete, readMarker, removeMarker, writeMarker } from './marker.ts'
import { type PlannedFile, planDemoLibrary } from './plan.ts'
import { renderTrackWav } from './synth/render.ts'
import type { DemoAlbum } from './types.ts'
import { removePartialFiles, writeFileAtomic } from './write-atomic.ts'

export interface DemoLibraryOptions {
  /** Called after each file is in place (covers and tracks), e.g. to draw a progress bar. */
  onProgress?: (done: number, total: number, file: string) => void
}

/**
 * Two tracks in flight: with one worker the next track is synthesised on the main thread
 * while ffmpeg encodes the previous one; with more workers they encode in parallel.
 */
const LANES = 2

async function inLanes<T>(items: T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  const lane = async () => {
    // After one failure the other lane stops too, instead of writing on behind a rejected promise.
    for (let item = items[next++]; item !== undefined && !failed; item = items[next++]) {
      await work(item).catch((error: unknown) => {
        failed = true
        throw error
      })
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane))
}

async function encodeCover(engine: AudioEngine, album: DemoAlbum): Promise<Uint8Array> {
  const { outputs } = await engine.run({
    args: ['-hide_banner', ...coverJpegArgs('cover.rgb', 'cover.jpg')],
    inputs: { 'cover.rgb': renderCoverRgb(album) },
    outputs: ['cover.jpg'],
  })
  const jpeg = outputs['cover.jpg']
  if (!jpeg) throw new Error(`no cover produced for ${album.title}`)
  return jpeg
}

async function encodeTrack(
  engine: AudioEngine,
  file: Extract<PlannedFile, { kind: 'track' }>,
  cover: Uint8Array,
): Promise<Uint8Array> {
  const output = `track.${file.album.format}`
  const { outputs } = await engine.run({
    args: encodeTrackArgs(file.album.format, file.tags, { wav: 'track.wav', cover: 'cover.jpg', output }),
    inputs: { 'track.wav': renderTrackWav(file.track.music, file.track.duration), 'cover.jpg': cover },
    outputs: [output],
  })
  const encoded = outputs[output]
  if (!encoded) throw new Error(`no audio produced for ${file.path}`)
  return encoded
}

/**
 * Writes the built-in demo library into `destDir` unless a complete one from this generator
 * version is already there. The marker is written last, so an interrupted run is redone.
 */
export async function generateDemoLibrary(
  engine: AudioEngine,
  destDir: string,
  opts: DemoLibraryOptions = {},
): Promise<{ created: boolean; files: string[] }> {
  const plan = planDemoLibrary()
  const absolute = (path: string) => join(destDir, path)
  const previous = await readMarker(destDir)
  if (previous && (await isComplete(destDir, previous)))
    return { created: false, files: previous.files.map(absolute) }

  // From here on the folder is in flux; no marker may vouch for it.
  await removeMarker(destDir)
  const dirs = [...new Set(plan.map((file) => dirname(absolute(file.path))))]
  for (const dir of dirs) {
    await mkdir(dir, { recursive: true })
    await removePartialFiles(dir)
  }

  let done = 0
  const place = async (path: string, data: Uint8Array) => {
    await writeFileAtomic(absolute(path), data)
    opts.onProgress?.(++done, plan.length, absolute(path))
  }

  const covers = new Map<DemoAlbum, Uint8Array>()
  for (const file of plan) {
    if (file.kind !== 'cover') continue
    const jpeg = await encodeCover(engine, file.album)
    covers.set(file.album, jpeg)
    await place(file.path, jpeg)
  }
  const tracks = plan.filter((file) => file.kind === 'track')
  await inLanes(tracks, LANES, async (file) => {
    const cover = covers.get(file.album)
    if (!cover) throw new Error(`cover missing for ${file.album.title}`)
    await place(file.path, await encodeTrack(engine, file, cover))
  })

  // Files an older generator version wrote that this one no longer does.
  const current = new Set(plan.map((file) => file.path))
  for (const stale of previous?.files.filter((file) => !current.has(file)) ?? []) {
    await rm(absolute(stale), { force: true })
  }
  await writeMarker(
    destDir,
    plan.map((file) => file.path),
  )
  return { created: true, files: plan.map((file) => absolute(file.path)) }
}
