import { expect, test } from 'bun:test'
import { spawnSync } from 'node:child_process'
import { mkdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScratchDir, removeOrphanedScratchDirs } from './scratch-dir.ts'

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  )

test('scratch dirs of killed processes are removed; live ones are kept', async () => {
  const deadPid = spawnSync(process.execPath, ['--version']).pid
  const orphan = join(tmpdir(), `tonearm-ffmpeg-${deadPid}-orphan`)
  await mkdir(orphan, { recursive: true })
  const mine = await createScratchDir()
  try {
    await removeOrphanedScratchDirs()
    expect(await exists(orphan)).toBe(false)
    expect(await exists(mine)).toBe(true)
  } finally {
    await rm(orphan, { recursive: true, force: true })
    await rm(mine, { recursive: true, force: true })
  }
})
