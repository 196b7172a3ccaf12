/**
 * Conditional and range requests (RFC 9110 §13, §14) for a file of known size and validators,
 * decided apart from HTTP plumbing so every edge case is a plain function call in a test.
 *
 * - `If-None-Match` (weak comparison, `*`) wins over `If-Modified-Since`; a match is a 304.
 * - `Range` in a unit other than bytes is ignored, as §14.2 requires. A bytes range that does not
 *   parse, or whose last position is before its first, is answered 416 naming the fault rather
 *   than silently ignored: a client that sends one has a bug worth seeing.
 * - `If-Range` with a strong ETag or the exact Last-Modified date lets the range through;
 *   anything else (a weak tag, another date, garbage) turns the answer into the whole file.
 * - Several ranges are answered with the whole file (200): §14.2 allows ignoring Range, players
 *   never ask for several, and multipart bodies would only serve range-amplification attacks.
 */
export interface RequestConditions {
  range?: string
  ifRange?: string
  ifNoneMatch?: string
  ifModifiedSince?: string
}

export interface Representation {
  size: number
  /** A strong entity tag, quotes included. */
  etag: string
  lastModified?: Date
}

export type Decision =
  | { status: 200 }
  | { status: 206; start: number; end: number }
  | { status: 304 }
  | { status: 416; reason: string }

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export function decide(req: RequestConditions, rep: Representation): Decision {
  if (notModified(req, rep)) return { status: 304 }
  if (req.range === undefined) return { status: 200 }
  const eq = req.range.indexOf('=')
  const unit = eq < 0 ? '' : req.range.slice(0, eq).trim()
  if (!TOKEN.test(unit)) return { status: 416, reason: `malformed Range header: expected bytes=first-last` }
  if (unit.toLowerCase() !== 'bytes') return { status: 200 }
  if (req.ifRange !== undefined && !ifRangeHolds(req.ifRange, rep)) return { status: 200 }
  const specs = req.range
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (specs.length === 0) return { status: 416, reason: 'malformed Range header: no range after bytes=' }
  const parsed: ([number, number | undefined] | [undefined, number])[] = []
  for (const spec of specs) {
    const m = /^(?:([0-9]+)-([0-9]*)|-([0-9]+))$/.exec(spec)
    if (!m)
      return {
        status: 416,
        reason: `malformed Range header: "${spec.slice(0, 40)}" is not first-last, first- or -suffix`,
      }
    if (m[3] !== undefined) parsed.push([undefined, Number(m[3])])
    else {
      const first = Number(m[1])
      const last = m[2] === '' ? undefined : Number(m[2])
      if (last !== undefined && last < first) {
        return {
          status: 416,
          reason: `malformed Range header: in "${spec.slice(0, 40)}" the last byte is before the first`,
        }
      }
      parsed.push([first, last])
    }
  }
  if (parsed.length > 1) return { status: 200 }
  const [first, last] = parsed[0] as [number | undefined, number | undefined]
  const unsatisfiable = {
    status: 416,
    reason: `the range starts beyond the end of the ${rep.size}-byte file`,
  } as const
  if (first === undefined) {
    // A suffix: the last n bytes, or the whole file when it is shorter.
    if (last === 0 || rep.size === 0) return { status: 416, reason: 'the suffix range asks for no bytes' }
    return { status: 206, start: Math.max(0, rep.size - (last as number)), end: rep.size - 1 }
  }
  if (first >= rep.size) return unsatisfiable
  return { status: 206, start: first, end: Math.min(last ?? rep.size - 1, rep.size - 1) }
}

function notModified(req: RequestConditions, rep: Representation): boolean {
  if (req.ifNoneMatch !== undefined) {
    const tags = req.ifNoneMatch.split(',').map((t) => t.trim())
    const opaque = (tag: string) => tag.replace(/^W\//, '')
    return tags.some((t) => t === '*' || opaque(t) === opaque(rep.etag))
  }
  if (req.ifModifiedSince !== undefined && rep.lastModified) {
    const since = Date.parse(req.ifModifiedSince)
    return !Number.isNaN(since) && seconds(rep.lastModified.getTime()) <= seconds(since)
  }
  return false
}

function ifRangeHolds(value: string, rep: Representation): boolean {
  const v = value.trim()
  if (v.startsWith('"') || v.startsWith('W/')) return v === rep.etag
  const date = Date.parse(v)
  return (
    !Number.isNaN(date) &&
    rep.lastModified !== undefined &&
    seconds(date) === seconds(rep.lastModified.getTime())
  )
}

const seconds = (ms: number) => Math.floor(ms / 1000)

/** The Content-Range of a 206, or of a 416 (`bytes *\/size`). */
export const contentRange = (size: number, range?: { start: number; end: number }) =>
  range ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`
