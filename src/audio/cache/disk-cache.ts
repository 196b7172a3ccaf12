import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { link, mkdir, readdir, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'

/**
 * Rendered audio on disk under content-addressed keys ("<source fingerprint>/<profile>/…"), with a
 * size limit and least-recently-used eviction. Writes go to a temp file that is then hard-linked
 * into place: a reader sees the whole file or none, a crash leaves only temp files (removed at the
 * next start), and the first writer of a key wins so a file never changes under a strong ETag.
 */
export interface CachedFile {
  key: string
  path: string
  size: number
}

export interface DiskCache {
  readonly dir: string
  /** The file if cached; counts as a use for eviction. */
  get(key: string): CachedFile | undefined
  /** Like get, without counting as a use. */
  has(key: string): boolean
  put(key: string, data: Uint8Array): Promise<CachedFile>
  stats(): { files: number; bytes: number; maxBytes: number }
}

const TEMP_DIR = '.tmp'
/** Persisting "last used" costs a syscall; once a minute per file is enough to order evictions. */
const TOUCH_EVERY_MS = 60_000
/** Evicting down to this fraction of the limit avoids evicting on every write once full. */
const LOW_WATER = 0.9

interface Entry {
  size: number
  touchedAt: number
}

async function walk(root: string, dir: string, found: { key: string; size: number; used: number }[]) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name)
    if (entry.name.startsWith('.')) continue
    if (entry.isDirectory()) await walk(root, path, found)
    else if (entry.isFile()) {
      const s = await stat(path)
      found.push({ key: relative(root, path).split(sep).join('/'), size: s.size, used: s.mtimeMs })
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Temp files are named after their writer's pid: those of a dead process were being written when
 * it died. A live one (`tonearm transcode` beside the server) is still writing and keeps its own.
 */
async function removeDeadWriters(temp: string): Promise<void> {
  for (const name of await readdir(temp).catch(() => [])) {
    const pid = Number(name.split('-')[0])
    if (pid === process.pid || !isAlive(pid)) await rm(join(temp, name), { force: true })
  }
}

export function invalidKey(key: string): boolean {
  return key.split('/').some((part) => part === '' || part === '.' || part === '..' || part.startsWith('.'))
}

export async function createDiskCache(opts: {
  dir: string
  maxBytes: number
  onEvict?: (key: string, size: number) => void
}): Promise<DiskCache> {
  const { dir, maxBytes } = opts
  const temp = join(dir, TEMP_DIR)
  await mkdir(temp, { recursive: true })
  await removeDeadWriters(temp)

  // Map order is the LRU order: oldest first.
  const entries = new Map<string, Entry>()
  let bytes = 0
  const found: { key: string; size: number; used: number }[] = []
  await walk(dir, dir, found)
  for (const f of found.sort((a, b) => a.used - b.used)) {
    entries.set(f.key, { size: f.size, touchedAt: f.used })
    bytes += f.size
  }

  const pathOf = (key: string) => join(dir, ...key.split('/'))

  async function evict(): Promise<void> {
    if (bytes <= maxBytes) return
    const doomed: string[] = []
    for (const [key, entry] of entries) {
      if (bytes <= maxBytes * LOW_WATER) break
      entries.delete(key)
      bytes -= entry.size
      opts.onEvict?.(key, entry.size)
      doomed.push(key)
    }
    // An open reader keeps its file: unlink only removes the name.
    await Promise.all(doomed.map((key) => unlink(pathOf(key)).catch(() => undefined)))
  }

  /**
   * A file another process wrote (`tonearm transcode` beside the server) is not in this index
   * yet: a miss looks on disk once. A stat is microseconds; a miss otherwise costs an encode.
   */
  function adopt(key: string): Entry | undefined {
    if (invalidKey(key)) return undefined
    let size: number
    try {
      size = statSync(pathOf(key)).size
    } catch {
      return undefined
    }
    const entry = { size, touchedAt: Date.now() }
    entries.set(key, entry)
    bytes += size
    void evict()
    return entry
  }

  function get(key: string): CachedFile | undefined {
    const entry = entries.get(key) ?? adopt(key)
    if (!entry) return undefined
    entries.delete(key)
    entries.set(key, entry)
    const now = Date.now()
    if (now - entry.touchedAt > TOUCH_EVERY_MS) {
      entry.touchedAt = now
      const when = new Date(now)
      void utimes(pathOf(key), when, when).catch(() => undefined)
    }
    return { key, path: pathOf(key), size: entry.size }
  }

  async function put(key: string, data: Uint8Array): Promise<CachedFile> {
    if (invalidKey(key)) throw new TypeError(`invalid cache key ${JSON.stringify(key)}`)
    const known = get(key)
    if (known) return known
    const path = pathOf(key)
    const scratch = join(temp, `${process.pid}-${randomUUID()}`)
    try {
      await writeFile(scratch, data)
      await mkdir(dirname(path), { recursive: true })
      await link(scratch, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error
      })
    } finally {
      await unlink(scratch).catch(() => undefined)
    }
    const size = (await stat(path)).size
    if (!entries.has(key)) {
      entries.set(key, { size, touchedAt: Date.now() })
      bytes += size
      await evict()
    }
    return { key, path, size }
  }

  await evict()
  return {
    dir,
    get,
    has: (key) => entries.has(key) || adopt(key) !== undefined,
    put,
    stats: () => ({ files: entries.size, bytes, maxBytes }),
  }
}
