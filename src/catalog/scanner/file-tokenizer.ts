import { type FileHandle, open } from 'node:fs/promises'
import { AbstractTokenizer, EndOfStreamError, type IFileInfo, type IReadChunkOptions } from 'strtok3'

/**
 * A random-access tokenizer over a file handle the scanner owns. music-metadata's parseFile
 * keeps its handle private; owning it lets a parse that runs past its deadline be cut off by
 * closing the file, after which each of its reads fails instead of looping on.
 * (strtok3's own FileTokenizer is only exported under the `node` condition, not to TypeScript.)
 */
export class FileHandleTokenizer extends AbstractTokenizer {
  fileInfo: IFileInfo & { size: number }
  private closed = false

  static async open(path: string): Promise<FileHandleTokenizer> {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      return new FileHandleTokenizer(handle, { path, size })
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  private constructor(
    private readonly handle: FileHandle,
    fileInfo: IFileInfo & { size: number },
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
    if (this.closed) throw new Error('file closed: parse abandoned')
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
