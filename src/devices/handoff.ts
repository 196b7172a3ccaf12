import type { AudioReport, Handoff, PlaybackState } from './types.ts'

// Measures transfers from what the two devices' speakers did: the source reports when its audio
// stopped, the target when its audio started, both on the server's clock (each device converts
// with its clock-sync offset). The difference is the silence a listener heard in between.

/** Reports that arrive later than this after the transfer no longer describe it. */
const REPORT_WINDOW_MS = 60_000

interface Pending {
  version: number
  from: string
  to: string
  at: number
  stoppedAt?: number
  startedAt?: number
}

export interface Handoffs {
  /** Called with the state a transfer produced. */
  transferred(userId: number, state: PlaybackState): void
  /** Feeds one device's report; returns the handoff once both sides have reported. */
  report(userId: number, deviceId: string, report: AudioReport): Handoff | undefined
}

export function createHandoffs(): Handoffs {
  const pending = new Map<number, Pending>()

  return {
    transferred(userId, state) {
      const t = state.transfer
      // A transfer from nowhere (or to itself) has no silence to measure.
      if (!t?.from || t.from === t.to || !state.playing) {
        pending.delete(userId)
        return
      }
      pending.set(userId, { version: state.version, from: t.from, to: t.to, at: t.at })
    },
    report(userId, deviceId, r) {
      const p = pending.get(userId)
      if (!p || r.version < p.version) return undefined
      if (r.at - p.at > REPORT_WINDOW_MS) {
        pending.delete(userId)
        return undefined
      }
      if (deviceId === p.to && r.playing) p.startedAt ??= r.at
      if (deviceId === p.from && !r.playing) p.stoppedAt ??= r.at
      if (p.startedAt === undefined || p.stoppedAt === undefined) return undefined
      pending.delete(userId)
      return {
        version: p.version,
        from: p.from,
        to: p.to,
        stoppedAt: p.stoppedAt,
        startedAt: p.startedAt,
        gapMs: Math.round(p.startedAt - p.stoppedAt),
      }
    },
  }
}
