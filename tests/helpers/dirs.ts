import { afterAll } from 'bun:test'
import { removeDir, tempDir } from './server.ts'

/** A maker of temporary directories, all removed after the file's tests. Call at top level. */
export function freshDirs(): () => string {
  const dirs: string[] = []
  afterAll(() => dirs.forEach(removeDir))
  return () => {
    const d = tempDir()
    dirs.push(d)
    return d
  }
}
