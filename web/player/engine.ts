// Two decks (an <audio> element each, fed by hls.js or a progressive file) so the next track is
// loaded and buffered while the current one plays, and starts the moment the current one ends.
// Each deck runs through its own Web Audio gain node for loudness normalization.
import type Hls from 'hls.js/light'
import type { Quality } from '../lib/settings.ts'
import type { PlayInfo } from '../lib/types.ts'

type HlsClass = typeof Hls

export interface Deck {
  audio: HTMLAudioElement
  hls: Hls | null
  info: PlayInfo | null
  gain: GainNode | null
  /** The queue entry this deck holds (play position and track id), to tell a stale preload. */
  key: string | null
}

// hls.js is the largest piece of the player; it is fetched on the first play, not on first load.
let hlsModule: Promise<HlsClass> | null = null
export function loadHls(): Promise<HlsClass> {
  hlsModule ??= import('hls.js/light').then((m) => m.default)
  return hlsModule
}

const canPlayHlsNatively = (a: HTMLAudioElement) => a.canPlayType('application/vnd.apple.mpegurl') !== ''

/** The rung index (in hls.js's level list) closest to the chosen bitrate; -1 means adaptive. */
function levelFor(hls: Hls, quality: Quality): number {
  if (quality === 'auto' || quality === 'original') return -1
  const want = Number(quality) * 1000
  let best = -1
  let bestDiff = Number.POSITIVE_INFINITY
  hls.levels.forEach((l, i) => {
    const diff = Math.abs(l.bitrate - want)
    if (diff < bestDiff) {
      best = i
      bestDiff = diff
    }
  })
  return best
}

export function createDeck(ctx: () => AudioContext | null): Deck {
  const audio = document.createElement('audio')
  audio.preload = 'auto'
  document.body.append(audio)
  const deck: Deck = { audio, hls: null, info: null, gain: null, key: null }
  const c = ctx()
  if (c) {
    deck.gain = c.createGain()
    c.createMediaElementSource(audio).connect(deck.gain).connect(c.destination)
  }
  return deck
}

export function unload(deck: Deck): void {
  deck.hls?.destroy()
  deck.hls = null
  deck.info = null
  deck.key = null
  deck.audio.pause()
  deck.audio.removeAttribute('src')
  deck.audio.load()
}

/**
 * Point the deck at a track and start buffering from `startSec`. Resolves once the source is
 * attached (not once it can play): callers wait for `canplay` or call play(), which waits itself.
 */
export async function load(
  deck: Deck,
  info: PlayInfo,
  key: string,
  opts: { startSec: number; quality: Quality; offline: boolean },
): Promise<void> {
  unload(deck)
  deck.info = info
  deck.key = key
  const { audio } = deck
  if (opts.quality === 'original' && !opts.offline) {
    audio.src = info.progressive
    if (opts.startSec > 0) audio.currentTime = opts.startSec
    return
  }
  const HlsJs = await loadHls()
  if (deck.key !== key) return
  if (!HlsJs.isSupported() && canPlayHlsNatively(audio)) {
    audio.src = info.hls
    if (opts.startSec > 0) audio.currentTime = opts.startSec
    return
  }
  const hls = new HlsJs({
    startPosition: opts.startSec,
    // Enough ahead to ride out a hiccup; a preloaded next track stops at this too.
    maxBufferLength: 30,
    backBufferLength: 30,
    // Ask for the first fragment while the element is still paused: that is the point of preloading.
    startFragPrefetch: true,
    // On a LAN the first guess should be high, not hls.js's default of 500 kbps.
    abrEwmaDefaultEstimate: 5_000_000,
  })
  deck.hls = hls
  hls.on(HlsJs.Events.MANIFEST_PARSED, () => {
    const level = levelFor(hls, opts.quality)
    if (level >= 0) {
      hls.startLevel = level
      hls.currentLevel = level
    }
  })
  hls.on(HlsJs.Events.ERROR, (_e, data) => {
    if (!data.fatal) return
    // A lost network while buffering is worth one more try; anything else ends this track.
    if (data.type === HlsJs.ErrorTypes.NETWORK_ERROR) hls.startLoad()
    else if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError()
    else audio.dispatchEvent(new Event('error'))
  })
  hls.loadSource(info.hls)
  hls.attachMedia(audio)
}

/** Apply a new quality to a playing deck: a rung switch, or false when the source must change. */
export function switchQuality(deck: Deck, quality: Quality): boolean {
  const usingOriginal = !deck.hls
  if ((quality === 'original') !== usingOriginal) return false
  if (deck.hls) {
    const level = levelFor(deck.hls, quality)
    deck.hls.currentLevel = level
    if (level >= 0) deck.hls.loadLevel = level
  }
  return true
}

export function setGain(deck: Deck, linear: number, volume: number): void {
  // Shown on the element, so a test (or a curious listener in devtools) can see what is applied.
  deck.audio.dataset.gain = linear.toFixed(3)
  if (deck.gain) {
    deck.gain.gain.value = linear
    deck.audio.volume = volume
  } else {
    // No Web Audio (or not yet allowed): approximate with the element's volume, which cannot boost.
    deck.audio.volume = Math.min(1, linear * volume)
  }
}
