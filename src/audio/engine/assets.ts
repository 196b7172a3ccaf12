import { readFile } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { fileURLToPath } from 'node:url'
// Bun copies (bundle) or embeds (--compile) the wasm and turns this import into its path.
import wasmPath from '@ffmpeg/core/wasm' with { type: 'file' }

/*
 * The only place that knows how Tonearm was started. Where the worker script and the wasm
 * live differs per mode:
 *
 * - from source (`bun src/main.ts`, `bun test`): this file is assets.ts, the worker is its
 *   sibling wasm-worker.ts, and wasmPath is absolute inside node_modules.
 * - compiled (`bun build --compile --entry-naming '[name].[ext]' src/main.ts
 *   src/audio/engine/wasm-worker.ts`): this code sits in the entry at /$bunfs/root/<outfile>,
 *   the flattened worker at /$bunfs/root/wasm-worker.js, and wasmPath is an absolute /$bunfs path.
 * - Node bundle (`bun build --target=node --entry-naming '[name].[ext]' --outdir dist/node …`):
 *   this code sits in dist/node/main.js beside dist/node/wasm-worker.js, and wasmPath is
 *   "./ffmpeg-core-<hash>.wasm", relative to that directory rather than to the cwd.
 */
const fromSource = import.meta.url.endsWith('.ts')

export function wasmWorkerUrl(): URL {
  return new URL(fromSource ? './wasm-worker.ts' : './wasm-worker.js', import.meta.url)
}

/** Names the usual cause when the worker script is missing from a build. */
export function explainWorkerStartFailure(reason: string): string {
  if (fromSource || !/cannot find module|ModuleNotFound/i.test(reason)) return reason
  return `${reason} (the build must list src/audio/engine/wasm-worker.ts as an entrypoint, with --entry-naming '[name].[ext]')`
}

export async function readFfmpegWasm(): Promise<Uint8Array> {
  const path = isAbsolute(wasmPath) ? wasmPath : fileURLToPath(new URL(wasmPath, import.meta.url))
  return readFile(path)
}
