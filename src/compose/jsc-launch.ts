// How `tonearm scan` starts under Bun. A one-shot scan parses a few thousand files and exits:
// JavaScriptCore's top (FTL) tier compiles more than it then saves. Measured on the 5,040-file
// bench library, its compiler threads took ~1.0 s of CPU against ~0.4 s without FTL, on a
// 2-core machine where they compete with the parser thread; the scan's total CPU fell 15–30 %
// and its wall time with it. The option is read once, when the VM starts, and only from the
// environment, so the command replaces itself (same pid, stdio, signals and exit code) with a
// copy started with it. A server keeps FTL: it runs for days, and there compiling pays.

/** The variable JavaScriptCore reads at start; a value the user set is left alone. */
export const FTL_VARIABLE = 'BUN_JSC_useFTLJIT'

export interface Launch {
  /** process.versions.bun: undefined under Node, where the option means nothing. */
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
 * The exec that starts this scan again without FTL, or null when it already runs without it
 * (or the user chose a value, or this is Node). A compiled binary's argv[1] is its own path
 * inside the embedded file system (`/$bunfs/…`, `B:/~BUN/…` on Windows), which the binary
 * adds itself; from source it is the script, after Bun's own flags (`--smol`, `--cpu-prof`).
 */
export function scanRelaunch(l: Launch): Relaunch | null {
  if (!l.bun || l.env[FTL_VARIABLE] !== undefined) return null
  const [, script, ...rest] = l.argv
  if (script === undefined) return null
  const compiled = script.startsWith('/$bunfs/') || script.includes('~BUN')
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(l.env)) if (v !== undefined) env[k] = v
  env[FTL_VARIABLE] = '0'
  return {
    path: l.execPath,
    args: compiled ? [l.execPath, ...rest] : [l.execPath, ...l.execArgv, script, ...rest],
    env,
  }
}

/** Replaces this process when the scan should run without FTL; returns if it cannot. */
export function relaunchScanWithoutFtl(): void {
  const next = scanRelaunch({
    bun: process.versions.bun,
    execPath: process.execPath,
    argv: process.argv,
    execArgv: process.execArgv,
    env: process.env,
  })
  // Node before 23.11 has no execve (nor do its type definitions here); a failed exec (a
  // strange sandbox) only costs the saving.
  const execve = (
    process as { execve?: (path: string, args: string[], env: Record<string, string>) => never }
  ).execve
  if (!next || typeof execve !== 'function') return
  try {
    execve.call(process, next.path, next.args, next.env)
  } catch {
    // Running on with FTL is slower, never wrong.
  }
}
