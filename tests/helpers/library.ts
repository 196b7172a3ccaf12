import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createAudioEngine } from '../../src/audio/index.ts'
import { generateDemoLibrary } from '../../src/demo/index.ts'
import { fromSource, ROOT, type Running, start, tempDir, waitForHealth, waitForScanned } from './server.ts'

export const CORPUS = join(ROOT, '..', 'shared', 'corpus')
const FIXTURES = join(ROOT, 'data', 'test-fixtures')

/**
 * The demo library as a test fixture, made once by the project's own WASM engine and kept in
 * data/test-fixtures (git-ignored); the generator's marker tells a complete one from a partial one.
 */
export async function demoLibrary(): Promise<string> {
  const dir = join(FIXTURES, 'demo')
  mkdirSync(FIXTURES, { recursive: true })
  const engine = await createAudioEngine({ engine: 'wasm', workers: 2 })
  try {
    await generateDemoLibrary(engine, dir)
  } finally {
    await engine.close()
  }
  return dir
}

/** A private, writable copy of the demo library for a test that moves and edits files. */
export async function demoLibraryCopy(): Promise<string> {
  const source = await demoLibrary()
  const dest = join(tempDir('tonearm-lib-'), 'music')
  cpSync(source, dest, { recursive: true })
  if (!existsSync(dest)) throw new Error(`copy of ${source} failed`)
  return dest
}

/**
 * The real server from source on a fresh data directory and the demo library, once the audio engine is
 * up and the first scan is done (and, when asked, the search index is built).
 */
export async function startDemoServer(
  opts: { search?: boolean } = {},
): Promise<{ server: Running; data: string; music: string }> {
  const music = await demoLibrary()
  const data = tempDir()
  const server = await start(fromSource, ['--data', data, '--music', music, '--engine', 'wasm'], {
    admin: true,
  })
  await waitForHealth(
    server.url,
    (b) => b.components.scanner?.status === 'ok' && b.components.audio?.status === 'ok',
  )
  await waitForScanned(server, opts)
  return { server, data, music }
}
