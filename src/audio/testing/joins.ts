// Measures how a decoded rendition joins up against a decode of its source (tests and benchmarks).

const rms = (a: Float32Array, b: Float32Array, from: number, to: number): number => {
  let sum = 0
  for (let i = from; i < to; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2
  return Math.sqrt(sum / (to - from))
}

/** The shift of `decoded` against `reference` around `at` that matches best: 0 means no gap, no repeat. */
export function bestLag(
  decoded: Float32Array,
  reference: Float32Array,
  at: number,
  maxLag = 48,
  half = 4096,
): number {
  let best = 0
  let bestScore = -Infinity
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0
    for (let i = Math.max(0, at - half); i < Math.min(reference.length, at + half); i++) {
      score += (reference[i] as number) * (decoded[i + lag] ?? 0)
    }
    if (score > bestScore) {
      bestScore = score
      best = lag
    }
  }
  return best
}

export interface JoinReport {
  /** decoded.length − reference.length, in samples. */
  lengthDifference: number
  lags: number[]
  /** Error (RMS of decoded − reference) over the 2048 samples centred on each boundary. */
  boundaryErrors: number[]
  /** The same over every 2048-sample window of the track: what coding noise alone looks like. */
  typicalError: number
  worstWindowError: number
}

export function measureJoins(
  decoded: Float32Array,
  reference: Float32Array,
  boundaries: number[],
): JoinReport {
  const W = 2048
  const windows: number[] = []
  for (let at = 0; at + W <= reference.length; at += W) windows.push(rms(decoded, reference, at, at + W))
  const sorted = [...windows].sort((a, b) => a - b)
  return {
    lengthDifference: decoded.length - reference.length,
    lags: boundaries.map((b) => bestLag(decoded, reference, b)),
    boundaryErrors: boundaries.map((b) => rms(decoded, reference, b - W / 2, b + W / 2)),
    typicalError: sorted[Math.floor(sorted.length / 2)] ?? 0,
    worstWindowError: sorted.at(-1) ?? 0,
  }
}
