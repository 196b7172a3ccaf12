import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createAudioEngine } from '../../src/audio/index.ts'
import { generateDemoLibrary } from '../../src/demo/index.ts'
import { ROOT, tempDir } from './server.ts'

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
