import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

export interface AudioMetrics {
  jobs: Gauge<'state' | 'priority'>
  jobDuration: Histogram<'kind' | 'priority' | 'outcome'>
  jobWait: Histogram<'priority'>
  /** Seconds of audio encoded, by codec: with job durations, the realtime factor. */
  encodedSeconds: Counter<'codec'>
  cacheBytes: Gauge
  cacheHits: Counter<'kind'>
  cacheMisses: Counter<'kind'>
}

export function createAudioMetrics(registry: Registry): AudioMetrics {
  const registers = [registry]
  return {
    jobs: new Gauge({
      name: 'tonearm_audio_jobs',
      help: 'Transcoding jobs by state (pending, running, failed) and priority (play, prefetch, background)',
      labelNames: ['state', 'priority'] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: 'tonearm_audio_job_duration_seconds',
      help: 'Time a transcoding job ran, by kind, priority and outcome (done, failed, cancelled)',
      labelNames: ['kind', 'priority', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3, 6, 12, 30, 60, 120],
      registers,
    }),
    jobWait: new Histogram({
      name: 'tonearm_audio_job_wait_seconds',
      help: 'Time a transcoding job waited in the queue before it ran, by priority',
      labelNames: ['priority'] as const,
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers,
    }),
    encodedSeconds: new Counter({
      name: 'tonearm_audio_encoded_seconds_total',
      help: 'Seconds of audio encoded, by codec',
      labelNames: ['codec'] as const,
      registers,
    }),
    cacheBytes: new Gauge({ name: 'tonearm_audio_cache_bytes', help: 'Bytes in the audio cache', registers }),
    cacheHits: new Counter({
      name: 'tonearm_audio_cache_hits_total',
      help: 'Renditions served from the cache, by kind (init, segment, file)',
      labelNames: ['kind'] as const,
      registers,
    }),
    cacheMisses: new Counter({
      name: 'tonearm_audio_cache_misses_total',
      help: 'Renditions that had to be produced, by kind (segment, file)',
      labelNames: ['kind'] as const,
      registers,
    }),
  }
}
