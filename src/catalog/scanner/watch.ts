import { type FSWatcher, watch } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, join, posix, sep } from 'node:path'
import type { Logger } from '../../lib/logger.ts'
import type { MusicFolder } from '../folders.ts'
import { IGNORE_FILE } from './phase-1-walk.ts'
import type { ScanRequest } from './run.ts'

// Picks up changes while the server runs: recursive fs.watch (inotify on Linux, in Bun and
// Node ≥ 20) collects changed paths, and after a quiet spell the directories involved are
// rescanned. Where a folder cannot be watched (inotify limit, network mounts) it is rescanned
// on a timer instead.

export interface WatchOptions {
  /** Wait this long after the last change before scanning (a copy fires many events). */
  debounceMs: number
  /** …but never longer than this after the first change. */
  maxWaitMs: number
  /** Rescan interval for folders that cannot be watched. */
  fallbackIntervalMs: number
}

export const DEFAULT_WATCH_OPTIONS: WatchOptions = {
  debounceMs: 1500,
  maxWaitMs: 10_000,
  fallbackIntervalMs: 5 * 60_000,
}

type Target = NonNullable<ScanRequest['targets']>[number]

export interface LibraryWatcher {
  /** Folder ids watched by fs.watch (the others are polled). */
  watched: number[]
  close(): void
}

const parentOf = (p: string) => {
  const d = posix.dirname(p)
  return d === '.' ? '' : d
}

/** Directories to rescan for a set of changed paths, dropping those inside a recursive one. */
export async function targetsFor(folder: MusicFolder, paths: Iterable<string>): Promise<Target[]> {
  const targets: Target[] = []
  for (const p of paths) {
    if (p === '') {
      targets.push({ folderId: folder.id, dir: '', recursive: true })
      continue
    }
    const isDir = await stat(join(folder.path, p)).then(
      (s) => s.isDirectory(),
      () => null,
    )
    // A path that is gone may have been a directory: sweep under it as well as its parent.
    if (isDir !== false) targets.push({ folderId: folder.id, dir: p, recursive: true })
    targets.push({ folderId: folder.id, dir: parentOf(p), recursive: basename(p) === IGNORE_FILE })
  }
  const covered = (t: Target) =>
    targets.some(
      (o) =>
        o !== t &&
        o.recursive &&
        (o.dir === '' || t.dir === o.dir || t.dir.startsWith(`${o.dir}/`)) &&
        (o.dir !== t.dir || !t.recursive),
    )
  const unique = new Map<string, Target>()
  for (const t of targets) if (!covered(t)) unique.set(`${t.dir}\0${t.recursive}`, t)
  return [...unique.values()]
}

export function watchLibrary(
  folders: MusicFolder[],
  request: (r: ScanRequest) => void,
  logger?: Logger,
  options: WatchOptions = DEFAULT_WATCH_OPTIONS,
): LibraryWatcher {
  const watchers: FSWatcher[] = []
  const timers: ReturnType<typeof setInterval>[] = []
  const changed = new Map<number, Set<string>>()
  let quiet: ReturnType<typeof setTimeout> | undefined
  let firstAt = 0
  const watched: number[] = []

  async function flush(): Promise<void> {
    quiet = undefined
    firstAt = 0
    const batch = [...changed.entries()]
    changed.clear()
    const targets: Target[] = []
    for (const [folderId, paths] of batch) {
      const folder = folders.find((f) => f.id === folderId)
      if (folder) targets.push(...(await targetsFor(folder, paths)))
    }
    if (targets.length > 0) request({ full: false, trigger: 'watcher', targets })
  }

  function note(folder: MusicFolder, filename: string | null): void {
    const rel = filename === null ? '' : filename.split(sep).join('/')
    const hidden = rel.split('/').some((part) => part.startsWith('.') && part !== IGNORE_FILE)
    if (hidden) return
    const set = changed.get(folder.id) ?? new Set()
    changed.set(folder.id, set)
    set.add(rel)
    firstAt ||= Date.now()
    clearTimeout(quiet)
    const wait = Math.max(0, Math.min(options.debounceMs, firstAt + options.maxWaitMs - Date.now()))
    quiet = setTimeout(
      () => void flush().catch((err) => logger?.error({ err }, 'watcher rescan failed')),
      wait,
    )
  }

  function poll(folder: MusicFolder, reason: string): void {
    logger?.warn(
      { folder: folder.path, reason, everyMs: options.fallbackIntervalMs },
      'cannot watch folder; rescanning it periodically',
    )
    const timer = setInterval(
      () =>
        request({
          full: false,
          trigger: 'interval',
          targets: [{ folderId: folder.id, dir: '', recursive: true }],
        }),
      options.fallbackIntervalMs,
    )
    timer.unref?.()
    timers.push(timer)
  }

  for (const folder of folders) {
    try {
      const w = watch(folder.path, { recursive: true }, (_event, filename) =>
        note(folder, filename as string | null),
      )
      w.on('error', (err) => {
        w.close()
        poll(folder, (err as Error).message)
      })
      watchers.push(w)
      watched.push(folder.id)
    } catch (err) {
      poll(folder, (err as Error).message)
    }
  }

  return {
    watched,
    close() {
      clearTimeout(quiet)
      for (const w of watchers) w.close()
      for (const t of timers) clearInterval(t)
    },
  }
}
