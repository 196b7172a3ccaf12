import { invalid, notFound } from '../lib/errors.ts'
import { type CachedFile, createDiskCache } from './cache/disk-cache.ts'
import { createJobHandlers } from './jobs.ts'
import { ladderInfo } from './ladder/describe.ts'
import { buildLadder, fileFormat, type Ladder, type Profile } from './ladder/profiles.ts'
import { type Gain, type Loudness, normalizationGain, type ReplayGainTags } from './loudness/loudness.ts'
import { createLoudnessStore } from './loudness/store.ts'
import { createAudioMetrics } from './queue/metrics.ts'
import { createJobQueue, type JobSpec, type Priority, type QueueStats } from './queue/queue.ts'
import { fileJob, fileKey, hlsPrefix, INIT_NAME, segmentName, streamJob } from './renditions.ts'
import type { SegmentRange } from './segments/encode.ts'
import { AAC_FRAME, initSegment } from './segments/fmp4.ts'
import { planSegments, type SegmentPlan, segmentCount } from './segments/plan.ts'
import type { AudioServiceOptions, HlsRendition, LadderInfo, RequestOptions } from './service-types.ts'
import { aacRate, describeSource, type Source, type SourceInfo } from './source.ts'

export type { AudioServiceOptions, HlsRendition, LadderInfo, RequestOptions }

/** Segments produced ahead of a played one, so the player's next requests are cache hits. */
const READAHEAD_SEGMENTS = 3
/** Background ladder work per job: short enough that cancelling or a restart loses little. */
const LADDER_CHUNK_SEGMENTS = 10

export async function createAudioService(opts: AudioServiceOptions) {
  const { engine, db, timing, logger } = opts
  const recheckMs = opts.recheckMs ?? 0
  const metrics = createAudioMetrics(opts.registry)
  const cache = await createDiskCache({
    dir: opts.cacheDir,
    maxBytes: opts.cacheMaxBytes,
    onEvict: () => metrics.cacheBytes.set(cache.stats().bytes),
  })
  metrics.cacheBytes.set(cache.stats().bytes)
  const loudnessStore = createLoudnessStore(db)
  const ladder: Ladder = buildLadder(opts.rungsKbps, { native: engine.kind === 'native' })

  function profileOf(id: string, kind: 'hls' | 'files'): Profile {
    const profile = ladder[kind].find((p) => p.id === id)
    if (!profile) throw notFound(`${kind === 'hls' ? 'HLS' : 'file'} rendition ${id}`)
    return profile
  }

  const plans = new Map<string, SegmentPlan>()
  /** The segment plan of a file version, made once: every segment request needs it. */
  function planOf(info: SourceInfo): SegmentPlan {
    const known = plans.get(info.fingerprint)
    if (known) return known
    const plan = planSegments(
      aacRate(info.sampleRate),
      Math.round((info.totalSamples * aacRate(info.sampleRate)) / info.sampleRate),
      timing,
    )
    plans.set(info.fingerprint, plan)
    if (plans.size > 512) plans.delete(plans.keys().next().value as string)
    return plan
  }

  async function store(key: string, bytes: Uint8Array): Promise<CachedFile> {
    const file = await cache.put(key, bytes)
    metrics.cacheBytes.set(cache.stats().bytes)
    return file
  }

  const queue = createJobQueue({
    db,
    handlers: createJobHandlers({ engine, timing, metrics, loudnessStore, store, profileOf, planOf }),
    concurrency: opts.concurrency,
    metrics,
    logger,
  })

  function segmentSpec(info: SourceInfo, profile: Profile, range: SegmentRange): JobSpec {
    return {
      key: `${hlsPrefix(info, profile, timing)}/segments-${range.first}-${range.last}`,
      kind: 'segments',
      source: info.source,
      params: { profile: profile.id, first: range.first, last: range.last },
    }
  }

  const segmentKey = (info: SourceInfo, profile: Profile, index: number) =>
    `${hlsPrefix(info, profile, timing)}/${segmentName(index)}`

  // Bound once: a labelled inc() hashes its labels on every call, and cached segments are the hot path.
  const segmentHits = metrics.cacheHits.labels({ kind: 'segment' })

  /** Segment cache key → the read-ahead job that is producing it. */
  const readingAhead = new Map<string, JobSpec>()

  /** Ranges of consecutive segments in first..last that are neither cached nor being read ahead. */
  function missingRanges(info: SourceInfo, profile: Profile, first: number, last: number, chunk: number) {
    const ranges: SegmentRange[] = []
    for (let i = first; i <= last; i++) {
      const key = segmentKey(info, profile, i)
      if (cache.has(key) || readingAhead.has(key)) continue
      const open = ranges.at(-1)
      if (open && open.last === i - 1 && open.last - open.first + 1 < chunk) open.last = i
      else ranges.push({ first: i, last: i })
    }
    return ranges
  }

  /** Fire-and-forget work: failures are recorded on the job row and logged by the queue. */
  const background = (promise: Promise<unknown>) => void promise.catch(() => undefined)

  async function getSegment(source: Source, profileId: string, index: number, o: RequestOptions = {}) {
    const info = await describeSource(source, recheckMs)
    const profile = profileOf(profileId, 'hls')
    const count = segmentCount(planOf(info))
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw notFound(`segment ${index} (this track has segments 0..${count - 1})`)
    }
    const key = segmentKey(info, profile, index)
    let file = cache.get(key)
    if (file) segmentHits.inc()
    else {
      metrics.cacheMisses.inc({ kind: 'segment' })
      // Already being read ahead: join that short job (raising its priority) rather than encode twice.
      const spec = readingAhead.get(key) ?? segmentSpec(info, profile, { first: index, last: index })
      await queue.submit(spec, { priority: o.priority ?? 'play', signal: o.signal })
      file = cache.get(key)
    }
    for (const range of missingRanges(
      info,
      profile,
      index + 1,
      Math.min(count - 1, index + READAHEAD_SEGMENTS),
      READAHEAD_SEGMENTS,
    )) {
      const spec = segmentSpec(info, profile, range)
      const keys = Array.from({ length: range.last - range.first + 1 }, (_, i) =>
        segmentKey(info, profile, range.first + i),
      )
      for (const k of keys) readingAhead.set(k, spec)
      const done = queue.submit(spec, { priority: 'prefetch' })
      background(
        done.finally(() => {
          for (const k of keys) if (readingAhead.get(k) === spec) readingAhead.delete(k)
        }),
      )
    }
    if (!file) throw new Error(`segment ${index} of ${profileId} was produced but is no longer cached`)
    return file
  }

  async function getInit(source: Source, profileId: string): Promise<CachedFile> {
    const info = await describeSource(source, recheckMs)
    const profile = profileOf(profileId, 'hls')
    const key = `${hlsPrefix(info, profile, timing)}/${INIT_NAME}`
    const known = cache.get(key)
    if (known) {
      metrics.cacheHits.inc({ kind: 'init' })
      return known
    }
    const plan = planOf(info)
    // The init depends only on the format, so it is written here without running ffmpeg.
    const bytes = initSegment({
      sampleRate: plan.sampleRate,
      channels: profile.channels,
      bitrate: profile.bitrateKbps * 1000,
      priming: AAC_FRAME,
      totalSamples: plan.totalSamples,
    })
    return store(key, bytes)
  }

  async function getRendition(
    source: Source,
    profileId: string,
    o: RequestOptions = {},
  ): Promise<CachedFile> {
    const info = await describeSource(source, recheckMs)
    const profile = profileOf(profileId, 'files')
    const key = fileKey(info, profile)
    const known = cache.get(key)
    if (known) {
      metrics.cacheHits.inc({ kind: 'file' })
      return known
    }
    metrics.cacheMisses.inc({ kind: 'file' })
    const spec: JobSpec = { key, kind: 'file', source: info.source, params: { profile: profile.id } }
    await queue.submit(spec, { priority: o.priority ?? 'play', signal: o.signal })
    const file = cache.get(key)
    if (!file) throw new Error(`${profileId} was produced but is no longer cached`)
    return file
  }

  /** A single-file rendition if it is cached already, without producing it (a cold one is streamed instead). */
  async function cachedRendition(source: Source, profileId: string): Promise<CachedFile | undefined> {
    const info = await describeSource(source, recheckMs)
    return cache.get(fileKey(info, profileOf(profileId, 'files')))
  }

  /**
   * A single-file rendition from `offsetSeconds` on (Subsonic's timeOffset, a progressive seek),
   * streamed while ffmpeg encodes so the first bytes go out at once; cancelling the stream (the
   * client left) kills the encode. Not cached — offsets are arbitrary — and run directly on the
   * engine, whose worker count bounds it.
   */
  async function transcodeFrom(
    source: Source,
    profileId: string,
    offsetSeconds: number,
    o: RequestOptions = {},
  ) {
    const info = await describeSource(source, recheckMs)
    const profile = profileOf(profileId, 'files')
    const duration = info.totalSamples / info.sampleRate
    if (!(offsetSeconds >= 0 && offsetSeconds < duration)) {
      throw invalid(`offset ${offsetSeconds} s is outside the track (0..${duration.toFixed(3)} s)`, {
        offsetSeconds,
        durationSeconds: duration,
      })
    }
    const job = fileJob(info, profile, { offsetSeconds, streamed: true })
    const stream = streamJob(engine, job, o.signal)
    return { stream, ...fileFormat(profile.codec, true) }
  }

  /** Per file version: the streaming layer asks on every playlist and segment request. */
  const described = new Map<string, LadderInfo>()
  async function describe(source: Source): Promise<LadderInfo> {
    const info = await describeSource(source, recheckMs)
    const known = described.get(info.fingerprint)
    if (known?.sourceId === source.id) return known
    const fresh = ladderInfo(info, planOf(info), ladder)
    described.set(info.fingerprint, fresh)
    if (described.size > 512) described.delete(described.keys().next().value as string)
    return fresh
  }

  /**
   * Every HLS segment of every rung, plus loudness analysis: what the catalog asks for recently
   * added and frequently played tracks, and what `tonearm transcode` runs. Resolves when done.
   */
  async function enqueueLadder(
    source: Source,
    priority: Priority = 'background',
    o: { files?: boolean } = {},
  ) {
    const info = await describeSource(source, recheckMs)
    const count = segmentCount(planOf(info))
    const work: Promise<void>[] = []
    for (const profile of ladder.hls) {
      for (const range of missingRanges(info, profile, 0, count - 1, LADDER_CHUNK_SEGMENTS)) {
        work.push(queue.submit(segmentSpec(info, profile, range), { priority }))
      }
    }
    if (o.files) {
      for (const profile of ladder.files) {
        if (cache.get(fileKey(info, profile))) continue
        const spec = {
          key: fileKey(info, profile),
          kind: 'file',
          source: info.source,
          params: { profile: profile.id },
        }
        work.push(queue.submit(spec, { priority }))
      }
    }
    if (!knownAndFiled(info, source)) {
      const spec = { key: `${info.fingerprint}/loudness`, kind: 'loudness', source, params: {} }
      work.push(queue.submit(spec, { priority }))
    }
    await Promise.all(work)
  }

  // The caller's source, not the memoized one: only a catalog source knows its content id.
  const storedLoudness = (info: SourceInfo, source: Source) =>
    loudnessStore.read(info.fingerprint, source.contentId)

  /** Measured already: filed under the content id too, so the catalog sees it. */
  function knownAndFiled(info: SourceInfo, source: Source): Loudness | undefined {
    const known = storedLoudness(info, source)
    if (known && source.contentId) loudnessStore.attach(info.fingerprint, source.contentId)
    return known
  }

  /** The track's EBU R128 loudness, measured now (through the queue) unless already known. */
  async function loudness(source: Source, o: RequestOptions = {}): Promise<Loudness> {
    const info = await describeSource(source, recheckMs)
    const known = knownAndFiled(info, source)
    if (known) return known
    const spec = { key: `${info.fingerprint}/loudness`, kind: 'loudness', source, params: {} }
    await queue.submit(spec, { priority: o.priority ?? 'background', signal: o.signal })
    return storedLoudness(info, source) as Loudness
  }

  /** Whether anything of the background ladder (every HLS segment, loudness) is still to be made. */
  async function ladderComplete(source: Source): Promise<boolean> {
    const info = await describeSource(source, recheckMs)
    if (!knownAndFiled(info, source)) return false
    const count = segmentCount(planOf(info))
    return ladder.hls.every((profile) =>
      Array.from({ length: count }, (_, i) => i).every((i) => cache.has(segmentKey(info, profile, i))),
    )
  }

  /** Which segments of a rung are cached: what a seek or a quality switch would cost. */
  async function cachedSegments(source: Source, profileId: string): Promise<boolean[]> {
    const info = await describeSource(source, recheckMs)
    const profile = profileOf(profileId, 'hls')
    return Array.from({ length: segmentCount(planOf(info)) }, (_, i) =>
      cache.has(segmentKey(info, profile, i)),
    )
  }

  return {
    ladder,
    describe,
    cachedSegments,
    getInit,
    getSegment,
    getRendition,
    cachedRendition,
    transcodeFrom,
    enqueueLadder,
    ladderComplete,
    loudness,
    /** Measured loudness if analysis has run, else undefined (use ReplayGain tags meanwhile). */
    knownLoudness: async (source: Source) => storedLoudness(await describeSource(source, recheckMs), source),
    /** The playback gain to the configured target: measured loudness, else the file's ReplayGain tags. */
    playbackGain: async (source: Source, tags?: ReplayGainTags): Promise<Gain> =>
      normalizationGain(storedLoudness(await describeSource(source, recheckMs), source), tags, opts.gain),
    cancelSource: (sourceId: string, o?: { background?: boolean }) => queue.cancelSource(sourceId, o),
    stats: (): QueueStats & { cacheBytes: number; cacheFiles: number } => {
      const c = cache.stats()
      return { ...queue.stats(), cacheBytes: c.bytes, cacheFiles: c.files }
    },
    idle: () => queue.idle(),
    close: () => queue.close(),
  }
}

export type AudioService = Awaited<ReturnType<typeof createAudioService>>
