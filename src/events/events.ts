import { Counter, Gauge, type Registry } from 'prom-client'
import { invalid } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { Db } from '../platform/sqlite.ts'
import { compact } from './compaction.ts'
import type { Consumer } from './consumer.ts'
import { feedbackConsumer } from './consumers/feedback.ts'
import { historyConsumer } from './consumers/history.ts'
import { nowPlayingConsumer } from './consumers/now-playing.ts'
import { playsConsumer } from './consumers/plays.ts'
import { skipsConsumer } from './consumers/skips.ts'
import { trendingConsumer } from './consumers/trending.ts'
import { createAppender, head, watermark } from './log.ts'
import { createRunner, type RunnerOptions } from './runner.ts'
import type { EventInput, Source } from './schema.ts'
import { MAX_BATCH } from './schema.ts'
import { createScrobbleAccounts } from './scrobble/accounts.ts'
import { scrobbleConsumer } from './scrobble/consumer.ts'
import { createDelivery, type DeliveryOptions } from './scrobble/delivery.ts'
import { lastfmClient } from './scrobble/lastfm.ts'
import { listenBrainzClient } from './scrobble/listenbrainz.ts'
import { createSealer } from './scrobble/sealer.ts'
import type { Service } from './scrobble/services.ts'
import { createStats } from './stats.ts'
import { type TailOptions, tail } from './tail.ts'
import { DAY_MS } from './time.ts'
import type { PlayRule, TrackResolver } from './tracks.ts'

/** The settings this domain reads (src/config/fields.ts). */
export interface EventsConfig {
  playThresholdSeconds: number
  playThresholdFraction: number
  /** Raw events older than this are compacted into aggregates; 0 keeps them forever. */
  eventRetentionDays: number
  listenbrainzUrl: string
  lastfmUrl: string
  lastfmApiKey: string
  lastfmApiSecret: string
}

export interface EventsDeps {
  db: Db
  registry: Registry
  logger: Logger
  resolveTrack: TrackResolver
  /** Where the key sealing scrobbling credentials lives (`<data>/keys/scrobble.key`). */
  keyFile: string
  config: EventsConfig
  version: string
  now?: () => number
  runner?: Partial<RunnerOptions>
  delivery?: Partial<DeliveryOptions>
  /** How often old events are looked for and compacted. */
  compactEveryMs?: number
  /** Consumers run besides the built-in ones (other domains' read models). */
  extraConsumers?: readonly Consumer[]
}

export function createEvents(deps: EventsDeps) {
  const { db, logger, config } = deps
  const now = deps.now ?? Date.now
  const rule: PlayRule = { minMs: config.playThresholdSeconds * 1000, fraction: config.playThresholdFraction }
  const track = { db, resolveTrack: deps.resolveTrack, rule }
  const consumers: Consumer[] = [
    playsConsumer(track),
    historyConsumer(track),
    skipsConsumer(track),
    trendingConsumer({ ...track, now }),
    nowPlayingConsumer(track),
    feedbackConsumer({ db }),
    scrobbleConsumer({ ...track, now }),
    ...(deps.extraConsumers ?? []),
  ]
  const append = createAppender(db)
  const runner = createRunner({ db, consumers, logger, registry: deps.registry, options: deps.runner })
  const accounts = createScrobbleAccounts({
    db,
    sealer: createSealer(deps.keyFile),
    now,
    lastfmConfigured: Boolean(config.lastfmApiKey && config.lastfmApiSecret),
  })
  const delivery = createDelivery({
    db,
    accounts,
    clients: {
      listenbrainz: listenBrainzClient({ baseUrl: config.listenbrainzUrl, version: deps.version }),
      lastfm: lastfmClient({
        baseUrl: config.lastfmUrl,
        apiKey: config.lastfmApiKey,
        apiSecret: config.lastfmApiSecret,
      }),
    },
    logger,
    registry: deps.registry,
    now,
    options: deps.delivery,
  })
  runner.onAdvance((name) => {
    if (name === 'scrobble') delivery.wake()
  })

  const ingested = new Counter({
    name: 'tonearm_events_ingested_total',
    help: 'Events appended to the log, by source',
    labelNames: ['source'] as const,
    registers: [deps.registry],
  })
  const duplicates = new Counter({
    name: 'tonearm_events_duplicates_total',
    help: 'Events ignored because their id was already in the log (client retries, offline replays)',
    registers: [deps.registry],
  })
  new Gauge({
    name: 'tonearm_events_head_offset',
    help: 'Offset of the newest event in the log',
    registers: [deps.registry],
    collect() {
      this.set(head(db))
    },
  })

  // Tails waiting for the next append in this process.
  const waiting = new Set<() => void>()
  const closing = new AbortController()
  const waitForAppend = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        waiting.delete(done)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      waiting.add(done)
      signal.addEventListener('abort', done)
    })

  let compactTimer: ReturnType<typeof setInterval> | undefined
  const names = consumers.map((c) => c.name)

  function compactNow() {
    if (config.eventRetentionDays === 0) return { compacted: 0, watermark: watermark(db) }
    const result = compact(db, {
      consumers: names,
      cutoff: now() - config.eventRetentionDays * DAY_MS,
      ...track,
    })
    if (result.compacted > 0) logger.info(result, 'compacted old listening events into daily aggregates')
    return result
  }

  return {
    /**
     * Appends a validated batch in one transaction. Events whose id this user already sent are
     * accepted and ignored, so clients may retry a batch as often as they like.
     */
    ingest(userId: number, events: readonly EventInput[], source: Source) {
      if (events.length > MAX_BATCH)
        throw invalid(`events: at most ${MAX_BATCH} events per batch`, { field: 'events' })
      const result = append(userId, events, source, now())
      ingested.inc({ source }, result.accepted)
      duplicates.inc(result.duplicates)
      if (result.accepted > 0) {
        runner.wake()
        for (const w of [...waiting]) w()
      }
      return result
    },
    /** The log from an offset on, then live; see tail.ts. */
    tail: (opts: TailOptions) => tail({ db, waitForAppend, closing: closing.signal }, opts),
    head: () => head(db),
    /** Events at or below this offset were compacted: a stream starts after it. */
    watermark: () => watermark(db),
    stats: createStats({ db, now }),
    scrobblers: {
      /** Saves credentials; a paused account's waiting submissions go out at once. */
      set(userId: number, service: Service, secret: unknown) {
        const status = accounts.set(userId, service, secret)
        delivery.wake()
        return status
      },
      remove: accounts.remove,
      list: accounts.list,
    },
    consumers: names,
    checkpoints: runner.checkpoints,
    /** Resolves once every consumer has applied the log up to `offset`. */
    reached: runner.reached,
    compact: compactNow,
    /** Clears a consumer's state; it replays the log (and the compacted aggregates) from 0. */
    rebuild: runner.rebuild,
    start() {
      runner.start()
      delivery.start()
      compactTimer ??= setInterval(() => {
        try {
          compactNow()
        } catch (err) {
          logger.error({ err }, 'event compaction failed; will try again')
        }
      }, deps.compactEveryMs ?? 3_600_000)
    },
    /** Ends live streams, lets consumers finish their step and stops delivery; call before closing the database. */
    async stop() {
      clearInterval(compactTimer)
      closing.abort()
      await Promise.all([runner.stop(), delivery.stop()])
    },
  }
}

export type Events = ReturnType<typeof createEvents>
