import { afterAll, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../db/open.ts'
import { listMusicFolders, syncMusicFolders } from './folders.ts'

const dir = mkdtempSync(join(tmpdir(), 'tonearm-folders-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('keeps folder ids stable across restarts and deactivates folders no longer configured', async () => {
  const s = await openDatabase(dir)
  const first = syncMusicFolders(s.db, ['/music/rock', '/music/jazz'])
  expect(first.map((f) => f.name)).toEqual(['rock', 'jazz'])
  const rock = first[0]?.id

  const second = syncMusicFolders(s.db, ['/music/jazz'])
  expect(second.map((f) => f.path)).toEqual(['/music/jazz'])

  const third = syncMusicFolders(s.db, ['/music/rock', '/music/jazz'])
  expect(third.find((f) => f.path === '/music/rock')?.id).toBe(rock)
  expect(listMusicFolders(s.db)).toHaveLength(2)
  s.close()
})
