import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { AudioEngine } from '../audio/index.ts'
import { busy, invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import { inFolders } from './queries/page.ts'
import { contentId } from './scanner/hash.ts'

// Cover art by content id. The original bytes stay in the music folder (an image file or a
// picture inside a track); resized JPEGs are made by the audio engine's ffmpeg (so no native
// image library has to ship in the binary) and cached under <data>/cache/covers. Because the
// id is a hash of the original, a URL never changes meaning: clients may cache it forever.

/** Sizes served; a request is rounded up to the next one so the cache stays small. */
export const COVER_SIZES = [64, 128, 256, 512, 1024] as const
const ID = /^[0-9a-f]{32}$/
const PARSE_TIMEOUT_MS = 10_000
const RESIZE_TIMEOUT_MS = 30_000

export interface CoverImage {
  data: Uint8Array
  mime: string
  /** Strong validator: the content id and the size. */
  etag: string
}

export function coverSize(requested: number): number {
  if (!Number.isInteger(requested) || requested < 1)
    throw invalid('size: must be a positive whole number of pixels', { field: 'size' })
  return COVER_SIZES.find((s) => s >= requested) ?? 1024
}

const EXT: Record<string, string> = {
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
}

export function resizeArgs(input: string, size: number, output: string): string[] {
  return [
    '-hide_banner',
    ...['-i', input],
    // Fit inside size×size keeping the aspect ratio, never enlarging a small original.
    ...['-vf', `scale='min(${size},iw)':'min(${size},ih)':force_original_aspect_ratio=decrease`],
    ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', '-f', 'mjpeg', output],
  ]
}

export interface CoverDeps {
  db: Db
  cacheDir: string
  /** The engine once it is up; cover resizing answers "busy" until then. */
  engine: () => AudioEngine | undefined
}

export function createCovers(deps: CoverDeps) {
  const { db } = deps
  const inFlight = new Map<string, Promise<CoverImage>>()

  /** Where the original bytes can be read: image files first (cheap), then tracks embedding them. */
  async function original(id: string): Promise<Uint8Array> {
    const files = db.all<{ root: string; dir: string; name: string }>(sql`SELECT f.path AS root, d.dir, d.name
      FROM dir_images d JOIN music_folders f ON f.id = d.folder_id WHERE d.cover_id = ${id} LIMIT 5`)
    for (const f of files) {
      const data = await readFile(join(f.root, f.dir, f.name)).catch(() => null)
      if (data && contentId(data) === id) return data
    }
    const tracks = db.all<{
      root: string
      dir: string
      name: string
    }>(sql`SELECT f.path AS root, t.dir, t.name
      FROM tracks t JOIN music_folders f ON f.id = t.folder_id WHERE t.cover_id = ${id} AND t.missing_at IS NULL LIMIT 5`)
    // The parser is loaded on first use: `tonearm scan` never serves covers, and it stays smaller without it.
    const { selectCover } = await import('music-metadata')
    const { parseWithTimeout } = await import('./scanner/phase-3-read.ts')
    for (const t of tracks) {
      const meta = (
        await parseWithTimeout(join(t.root, t.dir, t.name), {}, PARSE_TIMEOUT_MS).catch(() => null)
      )?.meta
      const picture = selectCover(meta?.common.picture)
      if (picture && contentId(picture.data) === id) return picture.data
    }
    // Every source changed since the last scan; the next scan will drop or replace this id.
    throw notFound(`cover ${id}`)
  }

  async function resized(id: string, mime: string, size: number): Promise<CoverImage> {
    const path = join(deps.cacheDir, id.slice(0, 2), `${id}-${size}.jpg`)
    const etag = `"${id}-${size}"`
    if (existsSync(path)) return { data: await readFile(path), mime: 'image/jpeg', etag }
    const engine = deps.engine()
    if (!engine) throw busy('cover resizing waits for the audio engine, which is still starting', 2)
    const input = `in.${EXT[mime] ?? 'jpg'}`
    const { outputs } = await engine.run({
      args: resizeArgs(input, size, 'out.jpg'),
      inputs: { [input]: await original(id) },
      outputs: ['out.jpg'],
      signal: AbortSignal.timeout(RESIZE_TIMEOUT_MS),
    })
    const data = outputs['out.jpg'] as Uint8Array
    // Written beside the target and renamed, so a reader never sees half a file.
    await mkdir(dirname(path), { recursive: true })
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      await writeFile(temp, data)
      await rename(temp, path)
    } catch (err) {
      await rm(temp, { force: true })
      throw err
    }
    return { data, mime: 'image/jpeg', etag }
  }

  /** Whether a present track in these folders embeds it, or an image file lies beside music there. */
  function inAnyOf(id: string, folderIds: readonly number[]): boolean {
    return (
      db.all(sql`SELECT 1 AS found WHERE EXISTS (SELECT 1 FROM tracks t WHERE t.cover_id = ${id}
          AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, folderIds)})
        OR EXISTS (SELECT 1 FROM dir_images d WHERE d.cover_id = ${id} AND ${inFolders(sql`d.folder_id`, folderIds)})`)
        .length > 0
    )
  }

  /** The cover's type; invalid or not found as `check` below says. */
  function mimeOf(id: string, folderIds?: readonly number[]): string {
    if (!ID.test(id)) throw invalid('id: not a cover id', { field: 'id' })
    const row = db.all<{ mime: string }>(sql`SELECT mime FROM covers WHERE id = ${id}`)[0]
    if (!row || (folderIds && !inAnyOf(id, folderIds))) throw notFound(`cover ${id}`)
    return row.mime
  }

  return {
    /**
     * Throws unless the cover exists and, with `folderIds` (a listener's grant), belongs to
     * something in those folders: a cover id is a hash of the picture, and whoever has the same
     * picture could otherwise learn that another folder holds it. Cheap: call it before `get`,
     * and before answering a conditional request without reading the image.
     */
    check(id: string, folderIds?: readonly number[]): void {
      mimeOf(id, folderIds)
    },

    /** The original, or a JPEG resized for `size` (cached on disk). */
    async get(id: string, size?: number): Promise<CoverImage> {
      const mime = mimeOf(id)
      if (size === undefined) return { data: await original(id), mime, etag: `"${id}"` }
      const s = coverSize(size)
      const key = `${id}-${s}`
      let job = inFlight.get(key)
      if (!job) {
        // Ten clients asking for the same new thumbnail share one ffmpeg run.
        job = resized(id, mime, s).finally(() => inFlight.delete(key))
        inFlight.set(key, job)
      }
      return job
    },
  }
}

export type Covers = ReturnType<typeof createCovers>
