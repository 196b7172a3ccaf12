/**
 * Host files mounted into the WASM file system without copying them in. The core has no NODEFS,
 * but it has WORKERFS, which reads a file through `blob.slice(a, b)` and a `FileReaderSync`.
 * Neither exists in Bun or Node, so this module supplies both over a file descriptor: ffmpeg then
 * reads only the bytes it needs (a 6 s segment cut from a 50 MB FLAC reads a few hundred KB)
 * instead of the whole file being copied into the worker for every job.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { BlobLike, FfmpegCore } from '@ffmpeg/core'

const MOUNT_POINT = '/host'

class FdSlice implements BlobLike {
  constructor(
    readonly fd: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get size(): number {
    return this.end - this.start
  }

  slice(start: number, end: number): FdSlice {
    const from = Math.min(this.end, this.start + start)
    return new FdSlice(this.fd, from, Math.min(this.end, this.start + end))
  }
}

/** The one method WORKERFS calls; synchronous because ffmpeg's reads are. */
class FdReaderSync {
  readAsArrayBuffer(slice: FdSlice): ArrayBuffer {
    const bytes = new Uint8Array(slice.size)
    let done = 0
    while (done < bytes.length) {
      const n = readSync(slice.fd, bytes, done, bytes.length - done, slice.start + done)
      if (n === 0) break
      done += n
    }
    return bytes.buffer
  }
}

const web = globalThis as unknown as { FileReaderSync?: unknown }
web.FileReaderSync ??= FdReaderSync

/**
 * Mounts `files` (bare name → host path) and links each into the job directory `cwd`.
 * Returns the function that unmounts them and closes the descriptors.
 */
export function mountHostFiles(core: FfmpegCore, cwd: string, files: Record<string, string>): () => void {
  const entries = Object.entries(files)
  if (entries.length === 0) return () => undefined
  const fds: number[] = []
  try {
    const blobs = entries.map(([name, path]) => {
      const fd = openSync(path, 'r')
      fds.push(fd)
      return { name, data: new FdSlice(fd, 0, fstatSync(fd).size) }
    })
    core.FS.mkdir(MOUNT_POINT)
    core.FS.mount(core.FS.filesystems.WORKERFS, { blobs }, MOUNT_POINT)
    for (const [name] of entries) core.FS.symlink(`${MOUNT_POINT}/${name}`, `${cwd}/${name}`)
  } catch (error) {
    for (const fd of fds) closeSync(fd)
    throw error
  }
  return () => {
    core.FS.unmount(MOUNT_POINT)
    core.FS.rmdir(MOUNT_POINT)
    for (const fd of fds) closeSync(fd)
  }
}
