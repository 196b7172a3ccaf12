// What every benchmark file shares: run a measurement several times, keep the samples, and print
// one JSON document on stdout that scripts/bench/run.ts collects into the report.

export interface Result {
  /** What was measured, e.g. "cold start to healthy (binary)". */
  name: string
  unit: string
  samples: number[]
  median: number
  /** The same quantity measured for a reference in the same run, when there is one. */
  reference?: { name: string; median: number }
  /** median / reference.median */
  ratio?: number
  note?: string
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export function result(name: string, unit: string, samples: number[], extra: Partial<Result> = {}): Result {
  return { name, unit, samples, median: median(samples), ...extra }
}

export function against(r: Result, ref: Result): Result {
  return {
    ...r,
    reference: { name: ref.name, median: ref.median },
    ratio: +(r.median / ref.median).toFixed(3),
  }
}

export function emit(results: Result[]): void {
  process.stdout.write(`${JSON.stringify({ results })}\n`)
}

export async function repeat(n: number, fn: () => Promise<number>): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(await fn())
  return out
}
