import { readdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

const TEMP_SUFFIX = '.partial'

/**
 * Writes beside the target under a hidden temporary name, then renames: a reader (or a scan)
 * sees either no file or the whole file, even if the process is killed halfway.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}${TEMP_SUFFIX}`)
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/** Removes temporary files a killed run left behind in `dir`. */
export async function removePartialFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [])
  await Promise.all(
    names
      .filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX))
      .map((name) => rm(join(dir, name), { force: true })),
  )
}
