import { access, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './write-atomic.ts'

/** Bump whenever the generated content changes, so existing demo folders are regenerated. */
export const DEMO_VERSION = 1

const MARKER_FILE = '.tonearm-demo.json'

interface Marker {
  generator: 'tonearm-demo'
  version: number
  /** Relative to the demo folder. */
  files: string[]
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

export async function readMarker(destDir: string): Promise<Marker | null> {
  try {
    const marker = JSON.parse(await readFile(join(destDir, MARKER_FILE), 'utf8')) as Partial<Marker>
    if (
      marker.generator !== 'tonearm-demo' ||
      typeof marker.version !== 'number' ||
      !Array.isArray(marker.files)
    )
      return null
    return {
      generator: marker.generator,
      version: marker.version,
      files: marker.files.filter((f) => typeof f === 'string'),
    }
  } catch {
    return null
  }
}

/** Complete means: written by this generator version, and nobody deleted a file since. */
export async function isComplete(destDir: string, marker: Marker): Promise<boolean> {
  if (marker.version !== DEMO_VERSION) return false
  const found = await Promise.all(marker.files.map((file) => exists(join(destDir, file))))
  return found.every(Boolean)
}

export function removeMarker(destDir: string): Promise<void> {
  return rm(join(destDir, MARKER_FILE), { force: true })
}

export async function writeMarker(destDir: string, files: string[]): Promise<void> {
  const marker: Marker = { generator: 'tonearm-demo', version: DEMO_VERSION, files }
  await writeFileAtomic(join(destDir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`)
}
