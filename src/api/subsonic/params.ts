import { CODES, missing, SubsonicError } from './errors.ts'

// Subsonic parameters come from the query string, or from a form body (the `formPost` extension,
// so long id lists and credentials stay out of URLs and logs); both merge, repeated keys included.

export class Params {
  constructor(private readonly entries: [string, string][]) {}

  static async from(req: Request): Promise<Params> {
    const url = new URL(req.url)
    const entries = [...url.searchParams.entries()]
    const type = req.headers.get('content-type') ?? ''
    if (req.method === 'POST' && type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      entries.push(...new URLSearchParams(await req.text()).entries())
    }
    return new Params(entries)
  }

  has(name: string): boolean {
    return this.entries.some(([k]) => k === name)
  }

  get(name: string): string | undefined {
    return this.entries.find(([k]) => k === name)?.[1]
  }

  all(name: string): string[] {
    return this.entries.filter(([k]) => k === name).map(([, v]) => v)
  }

  required(name: string): string {
    const v = this.get(name)
    if (v === undefined || v === '') throw missing(name)
    return v
  }

  int(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.get(name)
    if (raw === undefined || raw === '') return undefined
    const n = Number(raw)
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      const bounds = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`
      throw invalidParam(name, `must be a whole number ${bounds}`)
    }
    return n
  }

  requiredInt(name: string, range: { min?: number; max?: number } = {}): number {
    const n = this.int(name, range)
    if (n === undefined) throw missing(name)
    return n
  }

  bool(name: string): boolean | undefined {
    const raw = this.get(name)?.toLowerCase()
    if (raw === undefined || raw === '') return undefined
    if (raw === 'true' || raw === '1') return true
    if (raw === 'false' || raw === '0') return false
    throw invalidParam(name, 'must be true or false')
  }
}

export const invalidParam = (name: string, problem: string) =>
  new SubsonicError(CODES.generic, `parameter ${name}: ${problem}`)
