// JavaScriptCore options per command. JSC reads its options once, when the VM starts, and only
// from the environment (`BUN_JSC_<name>`), so a command that wants some replaces itself (execve:
// same pid, stdio, signals and exit code) with a copy started with them, before loading anything.
// A value the user set is left alone, and under Node none of this means anything.
//
// These options are not a stable API: Bun refuses to start with one its JavaScriptCore does not
// know ("invalid JSC environment variable", exit 1). Bun is pinned exactly (package.json), the
// compiled binary carries the runtime it was built with, and tests start a server and a scan with
// the options, so an upgrade that drops one fails CI rather than a user's start.

/**
 * `tonearm scan` runs without the top (FTL) tier. A one-shot scan parses a few thousand files
 * and exits: FTL compiles more than it then saves. On the 5,040-file bench library its compiler
 * threads took ~1.0 s of CPU against ~0.4 s without, on a 2-core machine where they compete with
 * the parser thread; the scan's total CPU fell 15–30 % and its wall time with it. A server keeps
 * FTL: it runs for days, and there compiling pays.
 */
export const SCAN_OPTIONS: Readonly<Record<string, string>> = { BUN_JSC_useFTLJIT: '0' }

/**
 * The server and `tonearm transcode` run WASM ffmpeg, and JSC's optimizing WASM tier (OMG)
 * shares its register allocator (Air's greedy allocator) with FTL. Without splitting live ranges
 * around loops it keeps loop-carried values of ffmpeg's AAC quantiser search (one 25 KB function,
 * 58 % of a 24 kbps encode) in stack slots: `perf` with JSC's jitdump showed its hottest
 * instruction adding into an accumulator loaded from and stored back to the stack every
 * iteration. Splitting around every loop (off by default, and when on, only around loops under 3/4
 * of the function) keeps them in registers: the 24 kbps AAC encode takes 12–17 % less CPU, the
 * same bytes out (tested in tests/jsc-options.test.ts). Numbers: src/audio/README.md.
 */
export const ENGINE_OPTIONS: Readonly<Record<string, string>> = {
  BUN_JSC_airGreedyRegAllocSplitAroundLoops: '1',
  BUN_JSC_airGreedyRegAllocLoopSplitMaxLoopFraction: '1',
}

/**
 * The options a command starts with: the engine's only when it will run WASM ffmpeg (a relaunch
 * costs the compiled binary ~70 ms of start-up, for nothing when native ffmpeg does the work);
 * none for the short commands (user, backup). `runsWasm` looks on PATH, so it is asked only by
 * the commands that run an engine.
 */
export function jscOptionsFor(command: string, runsWasm: () => boolean): Readonly<Record<string, string>> {
  if (command === 'scan') return SCAN_OPTIONS
  if ((command === 'serve' || command === 'transcode') && runsWasm()) return ENGINE_OPTIONS
  return {}
}

export interface Launch {
  /** process.versions.bun: undefined under Node, where the options mean nothing. */
  bun: string | undefined
  execPath: string
  argv: readonly string[]
  execArgv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
}

export interface Relaunch {
  path: string
  args: string[]
  env: Record<string, string>
}

/**
 * The exec that starts this command again with `options`, or null when every one is already set
 * (by the user, or because this is the copy) or this is Node. A compiled binary's argv[1] is its
 * own path inside the embedded file system (`/$bunfs/…`, `B:/~BUN/…` on Windows), which the
 * binary adds itself; from source it is the script, after Bun's own flags (`--smol`, `--cpu-prof`).
 */
export function relaunchWith(l: Launch, options: Readonly<Record<string, string>>): Relaunch | null {
  const missing = Object.keys(options).filter((k) => l.env[k] === undefined)
  if (!l.bun || missing.length === 0) return null
  const [, script, ...rest] = l.argv
  if (script === undefined) return null
  const compiled = script.startsWith('/$bunfs/') || script.includes('~BUN')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(l.env)) if (v !== undefined) env[k] = v
  for (const k of missing) env[k] = options[k] as string
  return {
    path: l.execPath,
    args: compiled ? [l.execPath, ...rest] : [l.execPath, ...l.execArgv, script, ...rest],
    env,
  }
}

/** Replaces this process with one started with the command's JSC options; returns if it cannot. */
export function relaunchForCommand(command: string, runsWasm: () => boolean): void {
  const next = relaunchWith(
    {
      bun: process.versions.bun,
      execPath: process.execPath,
      argv: process.argv,
      execArgv: process.execArgv,
      env: process.env,
    },
    jscOptionsFor(command, runsWasm),
  )
  // Node before 23.11 has no execve (nor do its type definitions here); a failed exec (a
  // strange sandbox) only costs the saving.
  const execve = (
    process as { execve?: (path: string, args: string[], env: Record<string, string>) => never }
  ).execve
  if (!next || typeof execve !== 'function') return
  try {
    execve.call(process, next.path, next.args, next.env)
  } catch {
    // Running on without the options is slower, never wrong.
  }
}
