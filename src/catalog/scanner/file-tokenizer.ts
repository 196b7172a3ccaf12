import { type FileHandle, open } from 'node:fs/promises'
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from 'strtok3'

export class ParseTimeoutError extends Error {
  override readonly name = 'ParseTimeoutError'
}

/**
 * A random-access tokenizer over a file handle the scanner owns. music-metadata's parseFile
 * keeps its handle private; owning it lets a parse that runs past its deadline be cut off by
 * closing the file, after which each of its reads fails instead of looping on. Each read also
 * checks the deadline itself: Bun can resolve file reads without ever yielding to timers, so a
 * parse looping over reads would starve a setTimeout-based deadline.
 * (strtok3's own FileTokenizer is only exported under the `node` condition, not to TypeScript.)
 */
export class FileHandleTokenizer extends AbstractTokenizer {
  fileInfo: IFileInfo & { size: number }
  private closed = false

  static async open(path: string, timeoutMs: number): Promise<FileHandleTokenizer> {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      return new FileHandleTokenizer(handle, { path, size }, performance.now() + timeoutMs, timeoutMs)
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  private constructor(
    private readonly handle: FileHandle,
    fileInfo: IFileInfo & { size: number },
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {
    super()
    this.fileInfo = fileInfo
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
    const n = await this.readAt(buffer, o.position, o.length, o.mayBeLess ?? false)
    this.position += n
    return n
  }

  async peekBuffer(buffer: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const o = this.normalizeOptions(buffer, options)
    return this.readAt(buffer, o.position, o.length, o.mayBeLess ?? false)
  }

  private async readAt(
    buffer: Uint8Array,
    position: number,
    length: number,
    mayBeLess: boolean,
  ): Promise<number> {
    if (this.closed || performance.now() > this.deadline)
      throw new ParseTimeoutError(`parsing took longer than ${this.timeoutMs} ms`)
    let read = 0
    while (read < length) {
      const { bytesRead } = await this.handle.read(buffer, read, length - read, position + read)
      if (bytesRead === 0) break
      read += bytesRead
    }
    if (!mayBeLess && read < length) throw new EndOfStreamError()
    return read
  }

  protected override async closeOnce(): Promise<void> {
    this.closed = true
    await this.handle.close()
    await super.closeOnce()
  }
}
