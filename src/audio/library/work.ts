import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { ComponentState } from '../../lib/status.ts'
import type { AudioService } from '../service.ts'
import type { Source } from '../source.ts'
import { createLibraryMetrics } from './metrics.ts'

/**
 * The eager half of the policy (the other half is on demand, in the service): after every scan,
 * at the lowest priority, measure the loudness of every track that lacks it, and build full
 * ladders for recently added and often played tracks, as far as a share of the cache allows.
 */

/** What the catalog tells the audio domain about the library, as sources. */
export interface LibraryQueries {
  /** Tracks without loudness analysis, by ascending id after `afterId`. */
  unmeasured(afterId: string | undefined, limit: number): Source[]
  recent(limit: number): Source[]
  mostPlayed(limit: number): Source[]
  counts(): { tracks: number; unmeasured: number }
}

export interface LibraryWorkOptions {
  audio: AudioService
  library: LibraryQueries
  /** Off on small boards: ladders are then made only when played. Loudness runs either way. */
  eagerLadders: boolean
  cacheMaxBytes: number
  rungsKbps: readonly number[]
  registry?: Registry
  /** Progress for the status board (`/api/health`). */
  report?: (state: ComponentState) => void
  logger?: Logger
}

/**
 * Eager ladders may fill this share of the cache: the rest stays for what is played on demand, so
 * the two never evict each other in a loop.
 */
export const EAGER_CACHE_SHARE = 0.5
/** Candidates looked at per list (recent, most played) in one round. */
const CANDIDATES = 200
/** Jobs each loop keeps in the queue: enough to keep workers busy, few enough to stop quickly. */
const IN_FLIGHT = 4

export interface LibraryProgress {
  running: boolean
  loudness: { done: number; failed: number; remaining: number }
  ladders: { done: number; failed: number; planned: number; overBudget: number }
}

export function createLibraryWork(opts: LibraryWorkOptions) {
  const { audio, library, logger } = opts
  const metrics = opts.registry ? createLibraryMetrics(opts.registry) : undefined
  const progress: LibraryProgress = {
    running: false,
    loudness: { done: 0, failed: 0, remaining: 0 },
    ladders: { done: 0, failed: 0, planned: 0, overBudget: 0 },
  }
  /** Tracks whose analysis failed in this process: not retried each round (the job row keeps why). */
  const failedLoudness = new Set<string>()
  let closed = false
  let again = false
  let round: Promise<void> | undefined

  // Files gone since the last scan (a music folder's disk not mounted, most often) would fail
  // every track in turn: one line per round says so instead of a warning with a stack per track.
  const missingFiles = new Set<string>()
  /** Logs a failure; true when the file was missing (worth trying again once it is back). */
  function failed(err: unknown, track: string, what: string): boolean {
    if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      missingFiles.add(track)
      logger?.debug({ track }, `${what} skipped: the file is missing`)
      return true
    }
    logger?.warn({ err, track }, `${what} failed`)
    return false
  }

  const bytesPerSecond = opts.rungsKbps.reduce((sum, kbps) => sum + kbps, 0) * 125

  function publish(): void {
    metrics?.update(progress)
    opts.report?.({
      status: progress.running ? 'working' : 'ok',
      eagerLadders: opts.eagerLadders,
      loudness: { ...progress.loudness },
      ladders: { ...progress.ladders },
    })
  }

  /** Runs `work` over items, at most IN_FLIGHT at once, until done or closed. */
  async function drain(items: Iterable<Source>, work: (s: Source) => Promise<boolean>): Promise<void> {
    const running = new Set<Promise<void>>()
    for (const source of items) {
      if (closed) break
      const p = work(source).then(() => void running.delete(p))
      running.add(p)
      if (running.size >= IN_FLIGHT) await Promise.race(running)
    }
    await Promise.all(running)
  }

  async function measureAll(): Promise<void> {
    progress.loudness.remaining = library.counts().unmeasured
    publish()
    let after: string | undefined
    while (!closed) {
      const batch = library.unmeasured(after, 50)
      const last = batch.at(-1)
      if (!last) break
      after = last.id
      const page = batch.filter((s) => !failedLoudness.has(s.id))
      await drain(page, async (source) => {
        try {
          await audio.loudness(source, { priority: 'background' })
          progress.loudness.done += 1
        } catch (err) {
          if (closed) return false
          progress.loudness.failed += 1
          if (!failed(err, source.id, 'loudness analysis')) failedLoudness.add(source.id)
        }
        progress.loudness.remaining = Math.max(0, progress.loudness.remaining - 1)
        publish()
        return true
      })
    }
  }

  /** Recently added and most played, interleaved so both lists get a share of the budget. */
  function ladderCandidates(): Source[] {
    const recent = library.recent(CANDIDATES)
    const played = library.mostPlayed(CANDIDATES)
    const seen = new Set<string>()
    const out: Source[] = []
    for (let i = 0; i < Math.max(recent.length, played.length); i++) {
      for (const s of [played[i], recent[i]]) {
        if (s && !seen.has(s.id)) {
          seen.add(s.id)
          out.push(s)
        }
      }
    }
    return out
  }

  async function buildLadders(): Promise<void> {
    let budget = opts.cacheMaxBytes * EAGER_CACHE_SHARE
    const chosen: Source[] = []
    progress.ladders.overBudget = 0
    for (const source of ladderCandidates()) {
      const bytes = ((source.durationMs ?? 0) / 1000) * bytesPerSecond
      if (bytes > budget) {
        progress.ladders.overBudget += 1
        continue
      }
      budget -= bytes
      chosen.push(source)
    }
    progress.ladders.planned = chosen.length
    publish()
    await drain(chosen, async (source) => {
      try {
        await audio.enqueueLadder(source, 'background')
        progress.ladders.done += 1
      } catch (err) {
        if (closed) return false
        progress.ladders.failed += 1
        failed(err, source.id, 'background ladder')
      }
      publish()
      return true
    })
  }

  async function run(): Promise<void> {
    progress.running = true
    publish()
    try {
      do {
        again = false
        // Both loops feed the same background queue, which interleaves them in order of arrival.
        await Promise.all([measureAll(), opts.eagerLadders ? buildLadders() : undefined])
      } while (again && !closed)
      if (missingFiles.size > 0)
        logger?.warn(
          { tracks: missingFiles.size },
          'background audio work skipped tracks whose files are missing (a music folder not mounted?); a rescan brings them back',
        )
      missingFiles.clear()
    } catch (err) {
      logger?.error({ err }, 'background audio work stopped')
    } finally {
      progress.running = false
      round = undefined
      publish()
    }
  }

  return {
    /** After a scan (or a watcher's rescan): look for new work. A round already running goes again. */
    schedule(): void {
      if (closed) return
      if (round) again = true
      else round = run()
    },
    progress: (): LibraryProgress => structuredClone(progress),
    /** Resolves when the current round (if any) has finished. */
    settled: (): Promise<void> => round ?? Promise.resolve(),
    close(): void {
      closed = true
    },
  }
}

export type LibraryWork = ReturnType<typeof createLibraryWork>
