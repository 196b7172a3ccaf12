import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { listMusicFolders, syncMusicFolders } from '../../src/catalog/folders.ts'
import { type Catalog, createCatalog, type ScanOptions, type ScanSummary } from '../../src/catalog/index.ts'
import { openDatabase } from '../../src/db/open.ts'
import type { Sqlite } from '../../src/platform/sqlite.ts'
import { demoLibraryCopy } from './library.ts'
import { removeDir, tempDir } from './server.ts'

/** A catalog over a fresh data directory and real SQLite, scanning the given folders. */
export async function catalogFor(
  music: string[],
  scan: Partial<ScanOptions> = {},
): Promise<{
  sqlite: Sqlite
  catalog: Catalog
  data: string
  rescan(full?: boolean): Promise<ScanSummary>
  close(): Promise<void>
}> {
  const data = tempDir('tonearm-catalog-')
  const sqlite = await openDatabase(data)
  syncMusicFolders(sqlite.db, music)
  const catalog = createCatalog({
    db: sqlite.db,
    dataDir: data,
    folders: () => listMusicFolders(sqlite.db),
    scan,
  })
  return {
    sqlite,
    catalog,
    data,
    rescan: (full = false) => catalog.scanner.scan({ full, trigger: 'test' }),
    async close() {
      await catalog.scanner.close()
      sqlite.close()
      rmSync(data, { recursive: true, force: true })
    },
  }
}

export type DemoCatalog = Awaited<ReturnType<typeof catalogFor>> & { music: string }

/** catalogFor over a fresh copy of the demo library (not scanned yet); close() removes the copy too. */
export async function demoCatalog(): Promise<DemoCatalog> {
  const music = await demoLibraryCopy()
  const cat = await catalogFor([music])
  return {
    ...cat,
    music,
    async close() {
      await cat.close()
      removeDir(join(music, '..'))
    },
  }
}
