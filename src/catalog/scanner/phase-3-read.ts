import { readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import {
  CouldNotDetermineFileTypeError,
  type IAudioMetadata,
  type IOptions,
  parseFromTokenizer,
  selectCover,
  UnsupportedFileTypeError,
} from 'music-metadata'
import { FileTokenizer, ParseTimeoutError } from './file-tokenizer.ts'
import { fingerprintOf, type ReadAt } from './fingerprint.ts'
import { contentId } from './hash.ts'
import type { MetadataParser } from './metadata-parser.ts'
import { embeddedLyrics, toTrackTags } from './tags.ts'
import {
  absolutePath,
  type FileRef,
  type Lyric,
  type ProblemReason,
  type ReadOutcome,
  type ScanOptions,
} from './types.ts'

// Phase 3: read one new or changed file into plain data (tags, fingerprint, cover hash, lyrics),
// or into a problem with a reason. Nothing here touches the database.

/**
 * music-metadata on a file the scanner opened itself, with a deadline (checked on every read),
 * and the payload fingerprint from the same descriptor.
 */
export async function parseWithTimeout<T = undefined>(
  path: string,
  options: IOptions,
  timeoutMs: number,
  alsoWithFd?: (read: ReadAt, size: number) => T,
  parser?: MetadataParser,
): Promise<{ meta: IAudioMetadata; extra: T | undefined }> {
  const tokenizer = new FileTokenizer(path, performance.now() + timeoutMs, timeoutMs)
  try {
    const meta = await (parser ? parser.parse(tokenizer, options) : parseFromTokenizer(tokenizer, options))
    const read: ReadAt = (target, position, length) => tokenizer.read(target, position, length)
    return { meta, extra: alsoWithFd?.(read, tokenizer.fileInfo.size) }
  } finally {
    await tokenizer.close()
  }
}

function classify(err: unknown): { reason: ProblemReason; message: string } {
  const e = err as Error & { code?: string }
  const message = (e?.message ?? String(err)).replace(/: \/.*$/, '')
  if (e instanceof ParseTimeoutError) return { reason: 'timeout', message }
  if (e instanceof CouldNotDetermineFileTypeError || e instanceof UnsupportedFileTypeError)
    return { reason: 'unsupported', message: `not a supported audio format (${message})` }
  if (e?.name === 'EndOfStreamError' || /exceeds remaining|end-of-stream|truncated/i.test(message))
    return { reason: 'truncated', message: `file ends early: ${message}` }
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EISDIR' || e?.code === 'ENOENT')
    return { reason: 'unreadable', message: `cannot read the file (${e.code})` }
  return { reason: 'corrupt', message: `cannot parse: ${message}` }
}

/** Tags-only files (a lone ID3 block), video without sound and bogus headers are not tracks. */
function audioProblem(meta: IAudioMetadata, size: number): { reason: ProblemReason; message: string } | null {
  const f = meta.format
  if (f.hasAudio === false) return { reason: 'no_audio', message: 'no audio stream found' }
  if (!f.container && !f.codec && !f.sampleRate)
    return { reason: 'no_audio', message: 'no audio stream found (tags only)' }
  if (f.duration !== undefined && !(f.duration >= 0))
    return { reason: 'corrupt', message: `impossible duration ${f.duration} s in the header` }
  // No lossy codec stores a second of audio in fewer than 250 bytes (2 kbit/s), and even
  // lossless digital silence takes ~150: a header claiming more is from a file cut short.
  const floor = f.lossless ? 50 : 250
  if (f.duration !== undefined && f.duration > 1 && size / f.duration < floor)
    return {
      reason: 'truncated',
      message: `header says ${Math.round(f.duration)} s but the file holds ${size} bytes`,
    }
  return null
}

const MAX_LRC_BYTES = 512 * 1024

async function lrcBeside(file: FileRef): Promise<Lyric[]> {
  if (file.lrcMtime === null) return []
  const path = join(file.root, file.dir, `${basename(file.name, extname(file.name))}.lrc`)
  try {
    const body = (await readFile(path, 'utf8')).slice(0, MAX_LRC_BYTES).trim()
    if (body === '') return []
    return [
      { source: 'file', synced: /^\s*\[\d{1,3}:\d{2}(?:[.:]\d{1,3})?\]/m.test(body), lang: null, text: body },
    ]
  } catch {
    return []
  }
}

export async function readTrackFile(
  file: FileRef,
  options: ScanOptions,
  parser?: MetadataParser,
): Promise<ReadOutcome> {
  if (file.size === 0) return { kind: 'problem', file, reason: 'empty', message: 'zero-byte file' }
  const path = absolutePath(file)
  try {
    let { meta, extra: fingerprint } = await parseWithTimeout(
      path,
      { duration: false },
      options.parseTimeoutMs,
      fingerprintOf,
      parser,
    )
    // Counting frames is only worth it when the headers gave no duration (MP3 without a Xing
    // header, raw AAC): measured, that is a few files in a thousand.
    if (meta.format.duration === undefined && meta.format.hasAudio !== false)
      ({ meta } = await parseWithTimeout(path, { duration: true }, options.parseTimeoutMs, undefined, parser))
    const wrong = audioProblem(meta, file.size)
    if (wrong) return { kind: 'problem', file, ...wrong }
    const picture = selectCover(meta.common.picture)
    const cover =
      picture && picture.data.length > 0
        ? { id: contentId(picture.data), mime: picture.format || 'image/jpeg', bytes: picture.data.length }
        : null
    return {
      kind: 'track',
      file,
      tags: toTrackTags(meta, file.name, options.artistSeparators),
      fingerprint: fingerprint as string,
      cover,
      lyrics: [...embeddedLyrics(meta.common.lyrics), ...(await lrcBeside(file))],
    }
  } catch (err) {
    return { kind: 'problem', file, ...classify(err) }
  }
}
