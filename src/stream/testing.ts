// Shared by the streaming tests and benchmarks (not shipped code): the real app with real accounts,
// a real audio service on the WASM engine (so results do not depend on a system ffmpeg), and a
// small table of tracks standing in for the catalog at the ResolveTrack boundary.
import { Registry } from 'prom-client'
import { type TestApp, testApp } from '../api/testing.ts'
import {
  type AudioEngine,
  type AudioService,
  createAudioEngine,
  createAudioService,
  DEFAULT_GAIN,
} from '../audio/index.ts'
import { makeFixture } from '../audio/testing/fixtures.ts'
import {
  createStreaming,
  DEFAULT_URL_POLICY,
  loadMediaKeys,
  type MediaKeys,
  type StreamTrack,
  type UrlPolicy,
} from './index.ts'
import { mediaUrls } from './urls.ts'

export interface StreamingFixture extends TestApp {
  engine: AudioEngine
  audio: AudioService
  streaming: ReturnType<typeof createStreaming>
  tracks: Map<number, StreamTrack>
  /** Writes a FLAC of `seconds` of the audio tests' music into the fixture's directory as track `id`. */
  addTrack(
    id: number,
    opts: { seconds: number; folderId?: number; name?: string; lavfi?: string },
  ): Promise<StreamTrack>
  /** Signed media URLs of a track for a user, made as the play call makes them but without its cache warming. */
  urls(userId: number, trackId: number): ReturnType<typeof mediaUrls>
  /** GET (or another method) of an absolute or path-only URL through the app, without credentials. */
  fetch(url: string, init?: RequestInit): Promise<Response>
}

export async function streamingFixture(
  opts: {
    timing?: { segmentSeconds: number; firstSegmentSeconds: number }
    rungs?: number[]
    urls?: UrlPolicy
  } = {},
): Promise<StreamingFixture> {
  const engine = await createAudioEngine({ engine: 'wasm', workers: 2 })
  const tracks = new Map<number, StreamTrack>()
  let audio: AudioService | undefined
  let streaming!: ReturnType<typeof createStreaming>
  let keys!: MediaKeys
  const t = await testApp({}, (f) => {
    keys = loadMediaKeys(f.dir, { graceMs: 7 * 3600_000, now: f.clock.now() })
    streaming = createStreaming({
      audio: () => audio,
      resolveTrack: (id) => tracks.get(id) ?? null,
      access: (userId) => f.accounts.auth.signedUrlPrincipal(userId),
      keys,
      version: 'test',
      urls: opts.urls,
      now: f.clock.now,
    })
    return { streaming }
  })
  audio = await createAudioService({
    engine,
    db: t.sqlite.db,
    cacheDir: `${t.dir}/cache/audio`,
    cacheMaxBytes: 500e6,
    registry: new Registry(),
    concurrency: 1,
    timing: opts.timing ?? { segmentSeconds: 4, firstSegmentSeconds: 2 },
    rungsKbps: opts.rungs ?? [24, 96, 160, 320],
    gain: DEFAULT_GAIN,
  })
  const service = audio
  return {
    ...t,
    engine,
    audio: service,
    streaming,
    tracks,
    async addTrack(id, o) {
      const path = await makeFixture(engine, t.dir, o.name ?? `track-${id}.flac`, {
        seconds: o.seconds,
        lavfi: o.lavfi,
      })
      const track = { id, path, folderId: o.folderId ?? 1 }
      tracks.set(id, track)
      return track
    },
    urls: (userId, trackId) =>
      mediaUrls(keys, opts.urls ?? DEFAULT_URL_POLICY, userId, trackId, t.clock.now()),
    fetch: (url, init) =>
      Promise.resolve(
        t.app.request(new URL(url, 'http://localhost').href, init, { remoteAddress: '127.0.0.1' }),
      ),
    async close() {
      await service.close()
      await engine.close()
      t.close()
    },
  }
}
