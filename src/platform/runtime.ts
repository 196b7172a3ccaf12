// The one place that asks which runtime we are on; everything Bun-only sits behind this flag.
export const isBun: boolean = typeof process.versions.bun === 'string'
export const runtimeName: string = isBun ? `bun ${process.versions.bun}` : `node ${process.versions.node}`

/**
 * A full, synchronous garbage collection where the runtime offers one (Bun; Node only with
 * --expose-gc), else nothing. For threads that make garbage in bursts and would otherwise hold
 * it: JavaScriptCore collects lazily, and a scan's parser thread grew by megabytes a thousand files.
 */
export function collectGarbage(): void {
  if (isBun) Bun.gc(true)
  else (globalThis as { gc?: () => void }).gc?.()
}
