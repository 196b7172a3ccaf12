import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { Zip, ZipPassThrough } from 'fflate'
import { forbidden, invalid, notFound } from '../lib/errors.ts'
import type { Access } from './access.ts'
import type { Context } from './context.ts'

// Album, directory and playlist downloads: the original files in one zip, streamed file by file.
// Stored, not deflated: audio does not compress, and storing costs no CPU. fflate writes the zip
// (local headers with data descriptors, so no entry's size or CRC is needed before its bytes);
// only the read loop that feeds it one chunk at a time is ours, for backpressure.

/** What an entry is named after: the catalog's song fields (structurally, so this domain needs no catalog import). */
export interface ArchiveSong {
  id: number
  file: string
  title: string
  artist: string
  albumArtist: string
  album: string
  trackNo: number | null
  discNo: number | null
  /** For a `tree`: the file's path below the archive's top folder, as it lies on disk. */
  path?: string
}

/** A download as asked: the archive's own name (its top folder too) and its songs in order. */
export interface ArchiveRequest {
  name: string
  songs: readonly ArchiveSong[]
  /**
   * Albums name entries "01 - Title" in disc folders, playlists "01 - Artist - Title"; a directory
   * is a `tree`, its files under their own names in their own subfolders.
   */
  kind: 'album' | 'list' | 'tree'
}

export interface Archive {
  /** The file name to offer, with `.zip`. */
  fileName: string
  entries: { name: string; size: number }[]
  stream: ReadableStream<Uint8Array>
}

/** Without Zip64 (fflate writes none), sizes and offsets must fit 32 bits. */
const ZIP_LIMIT = 0xffff_ffff - 64 * 1024 * 1024

/** Characters that some file system or unzip tool refuses, and leading dots (hidden or `..`). */
export function safeName(raw: string): string {
  const cleaned = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '')
    .slice(0, 120)
  return cleaned || '_'
}

const stem = (path: string) => path.slice(0, path.length - extname(path).length)
const pad = (n: number | null, width: number) => String(n ?? 0).padStart(width, '0')

/** Entry names in the archive: "<name>/[Disc N/]NN - Title.ext", unique (a repeat gets " (2)"). */
export function entryNames(request: ArchiveRequest): string[] {
  const top = safeName(request.name)
  const discs = new Set(request.songs.map((s) => s.discNo ?? 1))
  const width = Math.max(2, String(request.songs.length).length)
  const seen = new Set<string>()
  return request.songs.map((s, i) => {
    const ext = extname(s.file).toLowerCase()
    const base =
      request.kind === 'tree'
        ? stem(s.path ?? s.file)
            .split('/')
            .map(safeName)
            .join('/')
        : request.kind === 'album'
          ? `${discs.size > 1 ? `Disc ${s.discNo ?? 1}/` : ''}${pad(s.trackNo, width)} - ${safeName(s.title)}`
          : `${pad(i + 1, width)} - ${safeName(`${s.artist} - ${s.title}`)}`
    let name = `${top}/${base}${ext}`
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${top}/${base} (${n})${ext}`
    seen.add(name.toLowerCase())
    return name
  })
}

/**
 * A zip of the files as a stream that reads the next chunk only when the client has taken the
 * last one, so an album is never in memory; a client that goes away stops the reading.
 */
function zipStream(
  files: readonly { name: string; path: string; mtime: Date }[],
): ReadableStream<Uint8Array> {
  let out: Uint8Array[] = []
  let finished = false
  let failed: Error | undefined
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err
    else out.push(chunk)
    if (final) finished = true
  })
  let index = -1
  let entry: ZipPassThrough | undefined
  let reader: AsyncIterator<Uint8Array> | undefined
  async function step() {
    if (!entry) {
      index++
      if (index >= files.length) return zip.end()
      const file = files[index] as (typeof files)[number]
      entry = new ZipPassThrough(file.name)
      entry.mtime = file.mtime
      zip.add(entry)
      reader = createReadStream(file.path)[Symbol.asyncIterator]()
    }
    const next = await (reader as AsyncIterator<Uint8Array>).next()
    if (next.done) {
      entry.push(new Uint8Array(0), true)
      entry = undefined
      reader = undefined
    } else entry.push(next.value)
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // A pull that enqueues nothing is not called again: step until there is something to hand over.
      while (out.length === 0 && !finished && !failed) await step()
      if (failed) return controller.error(failed)
      for (const chunk of out) controller.enqueue(chunk)
      out = []
      if (finished) controller.close()
    },
    async cancel() {
      await reader?.return?.()
      zip.terminate()
    },
  })
}

export function archiveCalls(ctx: Context) {
  /**
   * The archive of songs the user may download: the same rules as one original (the download
   * grant, then each track's folder, which the caller's query has already filtered by), checked
   * and every file found before the first byte, so a refusal is a clean error, not a cut stream.
   */
  async function archive(access: Access, request: ArchiveRequest): Promise<Archive> {
    if (!access.canDownload) throw forbidden('this user may not download original files')
    if (request.songs.length === 0) throw notFound(`songs of ${request.name}`)
    const names = entryNames(request)
    const files = await Promise.all(
      request.songs.map(async (song, i) => {
        const track = ctx.visibleTrack(access, song.id)
        const s = await stat(track.path).catch(() => {
          throw notFound(`the file of track ${track.id}`)
        })
        return { name: names[i] as string, path: track.path, size: s.size, mtime: s.mtime }
      }),
    )
    const total = files.reduce((sum, f) => sum + f.size, 0)
    if (total > ZIP_LIMIT) {
      throw invalid(
        `${request.name} is ${Math.round(total / 2 ** 20)} MiB, more than a zip without Zip64 can hold (4 GiB): download its songs one by one`,
      )
    }
    return {
      fileName: `${safeName(request.name)}.zip`,
      entries: files.map((f) => ({ name: f.name, size: f.size })),
      stream: zipStream(files),
    }
  }
  return { archive }
}
