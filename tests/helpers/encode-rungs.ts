// Child process for tests/jsc-options.test.ts: encodes one source at every codec of the ladder
// with WASM ffmpeg and prints each output's SHA-256, one JSON line, so two processes started with
// different JavaScriptCore options can be compared byte for byte.
import { createHash } from 'node:crypto'
import { createWasmEngine } from '../../src/audio/engine/wasm-engine.ts'

const [source] = process.argv.slice(2)
if (!source) throw new Error('usage: encode-rungs.ts <source.flac>')
const jobs: Record<string, string[]> = {
  'aac-24.aac': ['-ac', '1', '-c:a', 'aac', '-b:a', '24k', '-f', 'adts'],
  'aac-160.aac': ['-c:a', 'aac', '-b:a', '160k', '-f', 'adts'],
  'mp3-160.mp3': ['-c:a', 'libmp3lame', '-b:a', '160k'],
  'vorbis-160.ogg': ['-c:a', 'libvorbis', '-b:a', '160k', '-minrate', '160k', '-maxrate', '160k'],
}
const engine = await createWasmEngine({ workers: 1 })
const hashes: Record<string, string> = {}
for (const [out, args] of Object.entries(jobs)) {
  const { outputs } = await engine.run({
    // bitexact: the Ogg muxer otherwise draws a random stream serial number.
    args: ['-i', 'in.flac', '-map', '0:a:0', ...args, '-fflags', '+bitexact', out],
    files: { 'in.flac': source },
    outputs: [out],
  })
  hashes[out] = createHash('sha256')
    .update(outputs[out] as Uint8Array)
    .digest('hex')
}
await engine.close()
process.stdout.write(`${JSON.stringify(hashes)}\n`)
