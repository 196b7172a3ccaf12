import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const PREFIX = 'tonearm-ffmpeg-'

/** A private temp dir for one native ffmpeg job; the pid in its name lets a later start clean up after a kill. */
export function createScratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`))
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes scratch dirs left by Tonearm processes that were killed mid-job. */
export async function removeOrphanedScratchDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [])
  for (const name of names) {
    const pid = Number(/^tonearm-ffmpeg-(\d+)-/.exec(name)?.[1])
    if (pid && pid !== process.pid && !isAlive(pid)) {
      await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined)
    }
  }
}
