import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from 'strtok3'

export class ParseTimeoutError extends Error {
  override readonly name = 'ParseTimeoutError'
}

/**
 * A random-access tokenizer over a file descriptor the scanner owns, read synchronously.
 * Measured on 5,040 files, music-metadata's own parseFile spends more time waiting for
 * promise-based reads (a thread-pool round trip each) than parsing; reading synchronously
 * halves the cost. That is only acceptable off the event loop: the scanner parses in worker
 * threads. Every read checks the deadline, so a file that keeps the parser reading (a loop in
 * a corrupt header) ends as a timeout instead of running on.
 * (strtok3's own FileTokenizer is async, and exported only under the `node` condition.)
 */
export class FileTokenizer extends AbstractTokenizer {
  fileInfo: IFileInfo & { size: number }
  readonly fd: number
  private closed = false

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
    let read = 0
    while (read < length) {
      const n = readSync(this.fd, buffer, read, length - read, position + read)
      if (n === 0) break
      read += n
    }
    if (!mayBeLess && read < length) throw new EndOfStreamError()
    return read
  }

  protected override async closeOnce(): Promise<void> {
    if (!this.closed) closeSync(this.fd)
    this.closed = true
    await super.closeOnce()
  }
}
