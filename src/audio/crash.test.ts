import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { openDatabase, type Sqlite } from '../db/index.ts'
import { createNativeEngine, detectNativeFfmpeg } from './engine/native-engine.ts'
import type { AudioEngine } from './engine/types.ts'
import { createWasmEngine } from './engine/wasm-engine.ts'
import { DEFAULT_GAIN } from './loudness/loudness.ts'
import { createAudioService } from './service.ts'
import { decodePcm, makeFixture } from './testing/fixtures.ts'

// Native ffmpeg runs each job as a child process, which a test can kill like the OOM killer would.
// (tests/transcode.test.ts kills the whole process instead, which covers the WASM engine too.)
setDefaultTimeout(60_000)
const native = await detectNativeFfmpeg()
let wasm: AudioEngine
let dir: string
let sqlite: Sqlite

beforeAll(async () => {
  wasm = await createWasmEngine({ workers: 1 })
  dir = mkdtempSync(join(tmpdir(), 'tonearm-crash-'))
  sqlite = await openDatabase(dir)
})
afterAll(async () => {
  await wasm.close()
  sqlite.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Our own ffmpeg children that encode Vorbis. */
function vorbisChildren(): number[] {
  const pids: number[] = []
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim()
    for (const pid of children ? children.split(' ').map(Number) : []) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (cmdline.includes('libvorbis')) pids.push(pid)
    }
  }
  return pids
}

test.skipIf(!native)(
  'an ffmpeg killed mid-job is run again; the cache only ever holds the whole file',
  async () => {
    if (!native) return
    const engine = createNativeEngine({ ...native, workers: 2 })
    const audio = await createAudioService({
      engine,
      db: sqlite.db,
      cacheDir: join(dir, 'cache'),
      cacheMaxBytes: 100e6,
      registry: new Registry(),
      concurrency: 1,
      timing: { segmentSeconds: 6, firstSegmentSeconds: 2 },
      rungsKbps: [320],
      gain: DEFAULT_GAIN,
    })
    try {
      const source = { id: 'long', path: await makeFixture(wasm, dir, 'long.flac', { seconds: 90 }) }
      const rendition = audio.getRendition(source, 'vorbis-320')
      let first: number | undefined
      while (first === undefined) {
        first = vorbisChildren()[0]
        await Bun.sleep(5)
      }
      process.kill(first, 'SIGKILL')
      // Killed mid-encode: nothing may have reached a cache name.
      expect(readdirSync(join(dir, 'cache')).filter((name) => name !== '.tmp')).toEqual([])
      const seen = new Set<number>([first])
      let file: Awaited<typeof rendition> | undefined
      void rendition.then((f) => {
        file = f
      })
      while (!file) {
        for (const pid of vorbisChildren()) seen.add(pid)
        await Bun.sleep(5)
      }
      expect(seen.size).toBe(2)
      expect(readdirSync(join(dir, 'cache', '.tmp'))).toEqual([])
      expect(Math.abs((await decodePcm(wasm, file.path)).length / 44100 - 90)).toBeLessThanOrEqual(0.1)
    } finally {
      await audio.close()
      await engine.close()
    }
  },
)
