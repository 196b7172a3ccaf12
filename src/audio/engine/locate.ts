// Which engine a configuration leads to, decided without starting either: `tonearm` decides at
// its first line whether to restart itself with the WASM engine's JavaScriptCore options
// (src/compose/jsc-launch.ts), before it has loaded anything else.
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The executable a path (with a '/') or a name on PATH points at; null when there is none. */
export function locateExecutable(nameOrPath: string, PATH = process.env.PATH ?? ''): string | null {
  if (nameOrPath.includes('/')) return isExecutableFile(nameOrPath) ? resolve(nameOrPath) : null
  for (const dir of PATH.split(delimiter)) {
    if (dir && isExecutableFile(join(dir, nameOrPath))) return join(dir, nameOrPath)
  }
  return null
}

/**
 * Whether the engine setting leads to WASM ffmpeg: `wasm`, or `auto` with no ffmpeg to find.
 * An ffmpeg that is found but fails `-version` later also falls back to WASM; that is not
 * foreseen here, so that WASM runs without the options (slower, never wrong).
 */
export function choosesWasm(engine: 'auto' | 'wasm' | 'native', ffmpegPath: string | undefined): boolean {
  if (engine !== 'auto') return engine === 'wasm'
  return locateExecutable(ffmpegPath || 'ffmpeg') === null
}
