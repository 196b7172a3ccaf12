import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'

// Phase 1: walk a music folder, one directory at a time, and say what each holds. File-system
// calls are synchronous (several times cheaper per call than their promise versions, measured)
// and the walk yields between directories, so a server's event loop waits one directory at most. Hidden
// entries and directories with a `.tonearmignore` are skipped; symbolic links are followed,
// but a directory is entered once (by device + inode, so link loops end) and never outside
// the configured music folders (by real path).

export const IGNORE_FILE = '.tonearmignore'

/** Images a directory's cover may come from; the order is the preference. */
export const COVER_NAMES = ['cover', 'folder', 'front', 'album', 'albumart', 'albumartsmall', 'thumb']
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp'])

// Files that sit in music folders but are not audio: never probed and never reported.
// Everything else is tried, so a track without an extension is still found and a file that
// only looks like audio is listed as a problem rather than silently ignored.
const NOT_AUDIO = new Set(
  (
    '.jpg .jpeg .png .webp .gif .bmp .tif .tiff .heic .svg .ico .lrc .txt .nfo .log .cue .m3u .m3u8 ' +
    '.pls .xspf .wpl .pdf .md .json .xml .yml .yaml .ini .db .sqlite .sfv .md5 .ffp .sha1 .sha256 ' +
    '.accurip .url .htm .html .zip .rar .7z .tar .gz .bz2 .xz .zst .exe .doc .docx .rtf .csv .srt ' +
    '.torrent .par2 .ds_store .tmp .part .partial .crdownload'
  ).split(' '),
)

export interface DirListing {
  folderId: number
  root: string
  /** Relative to the music folder, '/'-separated, '' for the folder itself. */
  dir: string
  /** Candidate audio files (not yet stat'ed). */
  files: string[]
  /** Lower-cased base names of the `.lrc` files here. */
  lrc: Map<string, string>
  /** Image files that may be the directory's cover, best first. */
  images: string[]
  /** Set when the directory could not be read; its catalog entries are then left alone. */
  error?: string
}

export interface WalkTarget {
  folderId: number
  root: string
  dir: string
  recursive: boolean
}

export interface WalkContext {
  /** Real paths of every configured music folder. */
  allowedRoots: string[]
  /** `dev:ino` of the directories entered during this scan. */
  visited: Set<string>
}

export function isWithin(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`))
}

function coverRank(name: string): number {
  const base = name.slice(0, name.length - extname(name).length).toLowerCase()
  const rank = COVER_NAMES.indexOf(base)
  return rank >= 0 ? rank : COVER_NAMES.length
}

function kindOf(path: string, entry: Dirent, ctx: WalkContext): 'dir' | 'file' | null {
  if (entry.isDirectory()) return 'dir'
  if (entry.isFile()) return 'file'
  if (!entry.isSymbolicLink()) return null
  try {
    const target = realpathSync(path)
    if (!isWithin(target, ctx.allowedRoots)) return null
    const s = statSync(target)
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null
  } catch {
    return null
  }
}

function list(target: WalkTarget, dir: string, ctx: WalkContext, subdirs: string[]): DirListing | null {
  const abs = join(target.root, dir)
  const listing: DirListing = {
    folderId: target.folderId,
    root: target.root,
    dir,
    files: [],
    lrc: new Map(),
    images: [],
  }
  let entries: Dirent[]
  try {
    const s = statSync(abs)
    if (!s.isDirectory()) return null
    const id = `${s.dev}:${s.ino}`
    if (ctx.visited.has(id)) return null
    ctx.visited.add(id)
    entries = readdirSync(abs, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // A directory that vanished is simply not there; one that cannot be read must not make its
    // tracks look deleted.
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    return { ...listing, error: `cannot read directory (${code ?? (err as Error).message})` }
  }
  if (entries.some((e) => e.name === IGNORE_FILE)) return null
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`
    const kind = kindOf(join(abs, entry.name), entry, ctx)
    if (kind === 'dir') subdirs.push(rel)
    if (kind !== 'file') continue
    const ext = extname(entry.name).toLowerCase()
    if (ext === '.lrc') listing.lrc.set(entry.name.slice(0, -4).toLowerCase(), entry.name)
    else if (IMAGE_EXT.has(ext)) listing.images.push(entry.name)
    else if (!NOT_AUDIO.has(ext)) listing.files.push(entry.name)
  }
  listing.images.sort((a, b) => coverRank(a) - coverRank(b) || a.localeCompare(b))
  listing.files.sort()
  return listing
}

/** Directories in pre-order (a parent before its children), so a disc folder can use its parent's cover. */
export async function* walk(target: WalkTarget, ctx: WalkContext): AsyncGenerator<DirListing> {
  const pending = [target.dir]
  while (pending.length > 0) {
    const dir = pending.pop() as string
    const subdirs: string[] = []
    const listing = list(target, dir, ctx, subdirs)
    if (!listing) continue
    yield listing
    await new Promise((resolve) => setImmediate(resolve))
    if (target.recursive && !listing.error) pending.push(...subdirs.sort().reverse())
  }
}
