import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from 'strtok3'

/** Read-ahead window: music-metadata reads headers a few bytes at a time. */
const WINDOW = 64 * 1024
/** Reads up to this many bytes are copied byte by byte. */
const SMALL_READ = 32

// Windows are reused across files (a worker parses one file at a time, so this holds one or
// two): a fresh 64 KiB per file was most of the garbage a scan produced.
const spareWindows: Uint8Array[] = []

export class ParseTimeoutError extends Error {
  override readonly name = 'ParseTimeoutError'
}

/**
 * A random-access tokenizer over a file descriptor the scanner owns, read synchronously.
 * Measured on 5,040 files, music-metadata's own parseFile spends more time waiting for
 * promise-based reads (a thread-pool round trip each) than parsing; reading synchronously
 * halves the cost. That is only acceptable off the event loop: the scanner parses in worker
 * threads. Every read checks the deadline, so a file that keeps the parser reading (a loop in
 * a corrupt header) ends as a timeout instead of running on. Small reads are served from a
 * read-ahead window: music-metadata reads headers field by field, and a system call per field
 * cost more than the parsing (measured).
 * (strtok3's own FileTokenizer is async, and exported only under the `node` condition.)
 */
export class FileTokenizer extends AbstractTokenizer {
  fileInfo: IFileInfo & { size: number }
  private readonly fd: number
  private closed = false
  private readonly buffer: Uint8Array = spareWindows.pop() ?? new Uint8Array(WINDOW)
  private window = this.buffer.subarray(0, 0)
  private windowStart = 0

  constructor(
    path: string,
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {
    super()
    this.fd = openSync(path, 'r')
    try {
      this.fileInfo = { path, size: fstatSync(this.fd).size }
    } catch (err) {
      closeSync(this.fd)
      throw err
    }
  }

  supportsRandomAccess(): boolean {
    return true
  }

  setPosition(position: number): void {
    this.position = position
  }

  async readBuffer(buffer: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const o = this.normalizeOptions(buffer, options)
    this.position = o.position
    const n = this.readAt(buffer, o.position, o.length, o.mayBeLess ?? false)
    this.position += n
    return n
  }

  async peekBuffer(buffer: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const o = this.normalizeOptions(buffer, options)
    return this.readAt(buffer, o.position, o.length, o.mayBeLess ?? false)
  }

  private readAt(buffer: Uint8Array, position: number, length: number, mayBeLess: boolean): number {
    if (this.closed || performance.now() > this.deadline)
      throw new ParseTimeoutError(`parsing took longer than ${this.timeoutMs} ms`)
    const read = this.read(buffer, position, length)
    if (!mayBeLess && read < length) throw new EndOfStreamError()
    return read
  }

  /** Bytes at `position` into `target` (fewer at the end of the file), through the window. */
  read(target: Uint8Array, position: number, length: number): number {
    if (length > WINDOW) return this.readDirect(target, 0, length, position)
    const end = this.windowStart + this.window.length
    if (position < this.windowStart || position + length > end) {
      this.window = this.buffer.subarray(0, this.readDirect(this.buffer, 0, WINDOW, position))
      this.windowStart = position
    }
    const from = position - this.windowStart
    const available = Math.max(0, Math.min(length, this.window.length - from))
    // Most reads are a header field of a few bytes: copying them one by one is cheaper than
    // the view object subarray() allocates for each (measured).
    if (available <= SMALL_READ)
      for (let i = 0; i < available; i++) target[i] = this.window[from + i] as number
    else target.set(this.window.subarray(from, from + available), 0)
    return available
  }

  private readDirect(target: Uint8Array, offset: number, length: number, position: number): number {
    let read = 0
    while (read < length) {
      const n = readSync(this.fd, target, offset + read, length - read, position + read)
      if (n === 0) break
      read += n
    }
    return read
  }

  protected override async closeOnce(): Promise<void> {
    if (!this.closed) {
      closeSync(this.fd)
      if (spareWindows.length < 4) spareWindows.push(this.buffer)
    }
    this.closed = true
    await super.closeOnce()
  }
}
