// @ffmpeg/core ships no types. This is the part of its Emscripten module the worker uses.
declare module '@ffmpeg/core' {
  export interface FfmpegCoreFs {
    writeFile(path: string, data: Uint8Array): void
    readFile(path: string): Uint8Array
    unlink(path: string): void
    mkdir(path: string): void
    rmdir(path: string): void
    readdir(path: string): string[]
    chdir(path: string): void
    stat(path: string): { mode: number }
    isDir(mode: number): boolean
    symlink(target: string, path: string): void
    mount(type: unknown, opts: { blobs?: { name: string; data: BlobLike }[] }, mountpoint: string): void
    unmount(mountpoint: string): void
    filesystems: { WORKERFS: unknown; MEMFS: unknown }
    makedev(major: number, minor: number): number
    registerDevice(dev: number, ops: DeviceOps): void
    mkdev(path: string, mode: number, dev: number): void
  }

  /** Stream operations of a character device; ffmpeg's writes to it arrive here. */
  export interface DeviceOps {
    open?(stream: unknown): void
    close?(stream: unknown): void
    write(stream: unknown, buffer: Uint8Array, offset: number, length: number, position?: number): number
  }

  /** What WORKERFS needs of a mounted file: its size and slices it hands to FileReaderSync. */
  export interface BlobLike {
    readonly size: number
    slice(start: number, end: number): BlobLike
  }

  export interface FfmpegCore {
    /** Runs ffmpeg with `-nostdin -y` prepended; returns the exit code, throws on a WASM trap. */
    exec(...args: string[]): number
    /** Clears the exit code and timeout left by the previous exec. */
    reset(): void
    setLogger(logger: (entry: { type: 'stdout' | 'stderr'; message: string }) => void): void
    FS: FfmpegCoreFs
  }

  export default function createFFmpegCore(options: { wasmBinary: Uint8Array }): Promise<FfmpegCore>
}

// Imported `with { type: 'file' }`: a path to the (embedded or copied) wasm file.
declare module '@ffmpeg/core/wasm' {
  const path: string
  export default path
}
