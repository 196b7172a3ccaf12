import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createWasmEngine } from '../src/audio/engine/wasm-engine.ts'
import { denseMix, makeFixture } from '../src/audio/testing/fixtures.ts'
import { ENGINE_OPTIONS } from '../src/compose/jsc-launch.ts'
import { removeDir, tempDir } from './helpers/server.ts'

// The server runs WASM ffmpeg with register-allocator options JavaScriptCore does not turn on
// by default (src/compose/jsc-launch.ts). They must change how fast the encoders run, never what
// they write: the same source encoded in a process with them and one without gives the same bytes.
setDefaultTimeout(120_000)

const BUN = process.execPath
let dir: string
let source: string

beforeAll(async () => {
  dir = tempDir()
  const engine = await createWasmEngine({ workers: 1 })
  // Long enough for the encoders' hot functions to reach the optimizing tier in both children.
  source = await makeFixture(engine, dir, 'mix.flac', { seconds: 45, lavfi: denseMix(45) })
  await engine.close()
})
afterAll(() => removeDir(dir))

function encodeIn(env: Record<string, string | undefined>): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUN, [join(import.meta.dir, 'helpers', 'encode-rungs.ts'), source], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, string>)
        : reject(new Error(`exit ${code}: ${err}`)),
    )
  })
}

test('the engine options change no byte of any rung the WASM engine encodes', async () => {
  const without = { ...process.env }
  for (const k of Object.keys(ENGINE_OPTIONS)) delete without[k]
  const [plain, tuned] = await Promise.all([encodeIn(without), encodeIn({ ...without, ...ENGINE_OPTIONS })])
  expect(Object.keys(plain)).toEqual(['aac-24.aac', 'aac-160.aac', 'mp3-160.mp3', 'vorbis-160.ogg'])
  expect(tuned).toEqual(plain)
})
