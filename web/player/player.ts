// The player: the queue, the two decks, prefetching the next track, reporting what was heard.
// Everything the views show is a signal here; the views only call the functions.
import { batch, effect, signal, untracked } from '@preact/signals'
import { api, OfflineError } from '../lib/api.ts'
import { persisted } from '../lib/persist.ts'
import { linearGain, type Settings } from '../lib/settings.ts'
import type { PlayInfo, Track } from '../lib/types.ts'
import { createDeck, type Deck, load, setGain, switchQuality, unload } from './engine.ts'
import * as Q from './queue.ts'
import type { Reporter } from './report.ts'

/** How long before the end the next track is requested and buffered. */
export const PREFETCH_SECONDS = 10

export interface PlayerDeps {
  settings: Settings
  reporter: Reporter
  /** The play info of a pinned track, when the server cannot be reached. */
  offlineInfo: (trackId: number) => Promise<PlayInfo | null>
}

export function createPlayer({ settings, reporter, offlineInfo }: PlayerDeps) {
  const queue = persisted<Q.Queue>('queue', Q.emptyQueue())
  const savedPosition = persisted('position', 0)
  const playing = signal(false)
  const waiting = signal(false)
  const position = signal(savedPosition.value)
  const duration = signal(0)
  const error = signal<string | null>(null)
  /** Measured gaps between one track's end and the next one's sound, in ms (newest last). */
  const gaps = signal<number[]>([])

  let ctx: AudioContext | null = null
  let decks: [Deck, Deck] | null = null
  let active = 0
  const infos = new Map<number, PlayInfo>()
  // The track whose play_started was reported; its play_ended is due when it stops being current.
  let heard = { trackId: 0, started: false, paused: false }
  let endedAt: number | null = null
  let preloading: string | null = null

  const deck = () => decks?.[active] ?? null
  const standby = () => decks?.[1 - active] ?? null
  const keyOf = (t: Track) => String(t.id)

  async function info(trackId: number): Promise<PlayInfo> {
    const cached = infos.get(trackId)
    // Signed URLs last hours; renew a quarter of an hour early rather than fail mid-track. Ask
    // again while the loudness was still unmeasured, so normalization uses it once it is known.
    const fresh = cached && Date.parse(cached.expiresAt) - Date.now() > 15 * 60_000
    if (cached && fresh && cached.gain?.basis !== 'none') return cached
    try {
      const answer = await api<PlayInfo>(`/api/tracks/${trackId}/play`, { method: 'POST' })
      infos.set(trackId, answer)
      return answer
    } catch (e) {
      if (!(e instanceof OfflineError)) throw e
      const pinned = await offlineInfo(trackId)
      if (!pinned) throw new OfflineError('this track is not available offline')
      return pinned
    }
  }

  function ensureDecks(): [Deck, Deck] {
    if (!decks) {
      try {
        ctx = new AudioContext()
      } catch {
        ctx = null
      }
      decks = [createDeck(() => ctx), createDeck(() => ctx)]
      for (const d of decks) wire(d)
    }
    if (ctx?.state === 'suspended') void ctx.resume()
    return decks
  }

  function applyGain(d: Deck) {
    if (d.info) setGain(d, linearGain(settings, d.info.gainDb), settings.volume.value)
  }

  // What was heard is what the element played: its `played` ranges leave out what a seek skipped,
  // and they do not depend on timeupdate events arriving while the page is busy.
  function heardMs(a: HTMLAudioElement): number {
    let sec = 0
    for (let i = 0; i < a.played.length; i++) sec += a.played.end(i) - a.played.start(i)
    return sec * 1000
  }

  function finishHeard(): void {
    const d = deck()
    if (heard.started && heard.trackId && d)
      reporter.report({ type: 'play_ended', trackId: String(heard.trackId), heardMs: heardMs(d.audio) })
    heard = { trackId: 0, started: false, paused: false }
  }

  function wire(d: Deck): void {
    const a = d.audio
    const isActive = () => d === deck()
    a.addEventListener('playing', () => {
      if (!isActive()) return
      performance.mark('tonearm:playing')
      if (endedAt !== null) {
        const gap = performance.now() - endedAt
        gaps.value = [...gaps.value.slice(-49), gap]
        performance.measure('tonearm:gap', { start: endedAt, end: performance.now() })
        endedAt = null
      }
      batch(() => {
        playing.value = true
        waiting.value = false
      })
      const t = Q.current(queue.value)
      if (t && !heard.started) {
        heard = { trackId: t.id, started: true, paused: false }
        reporter.report({ type: 'play_started', trackId: String(t.id) })
      } else if (heard.started && heard.paused) {
        // Other devices' "now playing" shows this one paused until it says it goes on.
        heard.paused = false
        reporter.report({ type: 'resume', trackId: String(heard.trackId), positionMs: a.currentTime * 1000 })
      }
    })
    a.addEventListener('pause', () => {
      if (!isActive() || a.ended) return
      playing.value = false
      if (heard.started && !heard.paused) {
        heard.paused = true
        reporter.report({ type: 'pause', trackId: String(heard.trackId), positionMs: a.currentTime * 1000 })
      }
    })
    a.addEventListener('waiting', () => {
      if (isActive()) waiting.value = true
    })
    a.addEventListener('durationchange', () => {
      if (isActive() && Number.isFinite(a.duration)) duration.value = a.duration
    })
    a.addEventListener('timeupdate', () => {
      if (!isActive()) return
      const t = a.currentTime
      position.value = t
      if (Math.abs(savedPosition.value - t) >= 1) savedPosition.value = t
      const total = Number.isFinite(a.duration) ? a.duration : (d.info?.durationMs ?? 0) / 1000
      if (total > 0 && total - t <= PREFETCH_SECONDS) void preloadNext()
    })
    a.addEventListener('ended', () => {
      if (!isActive()) return
      endedAt = performance.now()
      performance.mark('tonearm:ended')
      finishHeard()
      const k = Q.nextIndex(queue.value, true)
      if (k === null) {
        playing.value = false
        endedAt = null
        return
      }
      void startAt(k, { autoplay: true })
    })
    a.addEventListener('error', () => {
      if (!isActive()) return
      batch(() => {
        error.value = 'this track could not be played'
        playing.value = false
        waiting.value = false
      })
    })
  }

  async function preloadNext(): Promise<void> {
    const q = queue.value
    const k = Q.nextIndex(q, true)
    if (k === null || k === q.at) return
    const t = q.tracks[q.order[k] as number]
    const s = standby()
    if (!t || !s || s.key === keyOf(t) || preloading === keyOf(t)) return
    preloading = keyOf(t)
    // The server starts making the first segments now; the play call below warms the first too.
    void api(`/api/tracks/${t.id}/prefetch`, { method: 'POST' }).catch(() => {})
    try {
      const i = await info(t.id)
      await load(s, i, keyOf(t), { startSec: 0, quality: settings.quality.value, offline: !!i.offline })
      applyGain(s)
    } catch {
      // Preloading is an optimisation; the change of track will try again and report any error.
    } finally {
      preloading = null
    }
  }

  /** Make position `k` of the play order current and (when `autoplay`) play it from `startSec`. */
  async function startAt(k: number, opts: { startSec?: number; autoplay: boolean }): Promise<void> {
    const [a] = ensureDecks()
    const q = { ...queue.value, at: k }
    const t = Q.current(q)
    if (!t) return
    if (heard.trackId !== t.id || k !== queue.value.at) finishHeard()
    performance.mark('tonearm:play-request')
    const startSec = opts.startSec ?? 0
    batch(() => {
      queue.value = q
      position.value = startSec
      savedPosition.value = startSec
      duration.value = t.duration ?? 0
      error.value = null
      waiting.value = opts.autoplay
    })
    const s = standby()
    if (s && s.key === keyOf(t) && startSec === 0) {
      // The next track is already buffered on the other deck: swap and play without a pause.
      const old = deck()
      active = 1 - active
      s.audio.dataset.active = 'true'
      if (old) delete old.audio.dataset.active
      if (opts.autoplay) await playActive()
      if (old) unload(old)
      return
    }
    const d = deck() ?? a
    if (s) delete s.audio.dataset.active
    d.audio.dataset.active = 'true'
    try {
      const i = await info(t.id)
      if (queue.value.at !== k || Q.current(queue.value)?.id !== t.id) return
      await load(d, i, keyOf(t), { startSec, quality: settings.quality.value, offline: !!i.offline })
      applyGain(d)
      if (opts.autoplay) await playActive()
    } catch (e) {
      batch(() => {
        error.value = e instanceof Error ? e.message : String(e)
        waiting.value = false
        playing.value = false
      })
    }
  }

  async function playActive(): Promise<void> {
    const d = deck()
    if (!d) return
    try {
      await d.audio.play()
    } catch (e) {
      // A load replaced by a newer one rejects play() with AbortError; that is not an error.
      if (e instanceof DOMException && e.name === 'AbortError') return
      throw e
    }
  }

  // Quality: switch rungs in place when hls.js allows it, else reload at the same position.
  effect(() => {
    const quality = settings.quality.value
    // Only the quality triggers this; what it changes (the queue position, the position) must not.
    untracked(() => {
      const d = deck()
      const s = standby()
      if (s?.key) unload(s)
      if (!d?.info) return
      if (switchQuality(d, quality)) return
      void startAt(queue.value.at, { startSec: d.audio.currentTime, autoplay: !d.audio.paused })
    })
  })
  effect(() => {
    void settings.normalize.value
    void settings.targetLufs.value
    void settings.volume.value
    untracked(() => {
      for (const d of decks ?? []) applyGain(d)
    })
  })

  return {
    queue,
    playing,
    waiting,
    position,
    duration,
    error,
    gaps,
    current: () => Q.current(queue.value),
    activeAudio: () => deck()?.audio ?? null,

    playTracks(tracks: Track[], start = 0): Promise<void> {
      queue.value = Q.setTracks(queue.value, tracks, start)
      return startAt(queue.value.at, { autoplay: true })
    },
    add(tracks: Track[], next = false): void {
      const wasEmpty = queue.value.order.length === 0
      queue.value = Q.addTracks(queue.value, tracks, next)
      if (standby()?.key) unload(standby() as Deck)
      if (wasEmpty) void startAt(0, { autoplay: true })
    },
    async play(): Promise<void> {
      const d = deck()
      if (d?.info) {
        ensureDecks()
        await playActive()
        return
      }
      // After a reload: the queue and position are remembered, the decks are not.
      if (Q.current(queue.value))
        await startAt(queue.value.at, { startSec: savedPosition.value, autoplay: true })
    },
    pause(): void {
      deck()?.audio.pause()
    },
    toggle(): void {
      if (playing.value || waiting.value) this.pause()
      else void this.play()
    },
    seek(sec: number): void {
      const d = deck()
      const t = Q.current(queue.value)
      if (!d?.info || !t) {
        position.value = sec
        savedPosition.value = sec
        return
      }
      const from = d.audio.currentTime
      d.audio.currentTime = sec
      reporter.report({ type: 'seek', trackId: String(t.id), fromMs: from * 1000, toMs: sec * 1000 })
    },
    next(): void {
      const q = queue.value
      const t = Q.current(q)
      const d = deck()
      if (t && d?.info && !d.audio.ended)
        reporter.report({ type: 'skip', trackId: String(t.id), positionMs: d.audio.currentTime * 1000 })
      const k = Q.nextIndex(q, false)
      if (k !== null) void startAt(k, { autoplay: true })
    },
    previous(): void {
      const d = deck()
      if (d?.info && d.audio.currentTime > 3) {
        d.audio.currentTime = 0
        return
      }
      const k = Q.previousIndex(queue.value)
      if (k !== null) void startAt(k, { autoplay: playing.value || !!d?.info })
    },
    jump(k: number): Promise<void> {
      return startAt(k, { autoplay: true })
    },
    setShuffle(on: boolean): void {
      queue.value = Q.setShuffle(queue.value, on)
      if (standby()?.key) unload(standby() as Deck)
    },
    cycleRepeat(): void {
      queue.value = { ...queue.value, repeat: Q.cycleRepeat(queue.value.repeat) }
    },
    move(from: number, to: number): void {
      queue.value = Q.move(queue.value, from, to)
      if (standby()?.key) unload(standby() as Deck)
    },
    /** Forget the queue and stop (signing out). */
    clear(): void {
      finishHeard()
      for (const d of decks ?? []) unload(d)
      batch(() => {
        queue.value = Q.emptyQueue()
        savedPosition.value = 0
        position.value = 0
        playing.value = false
      })
    },
    remove(k: number): void {
      queue.value = Q.remove(queue.value, k)
      if (standby()?.key) unload(standby() as Deck)
    },
  }
}
export type Player = ReturnType<typeof createPlayer>
