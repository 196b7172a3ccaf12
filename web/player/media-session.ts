import { effect } from '@preact/signals'
import { coverUrl } from '../lib/api.ts'
import type { Player } from './player.ts'

// Lock-screen and hardware media keys: the browser shows what plays and routes the keys here.
export function connectMediaSession(player: Player): void {
  const ms = navigator.mediaSession
  if (!ms) return
  effect(() => {
    const t = player.current()
    ms.metadata = t
      ? new MediaMetadata({
          title: t.title,
          artist: t.artist,
          album: t.album,
          artwork: t.coverId
            ? [300, 600].map((s) => ({ src: coverUrl(t.coverId, s), sizes: `${s}x${s}`, type: 'image/jpeg' }))
            : [],
        })
      : null
  })
  effect(() => {
    ms.playbackState = player.playing.value ? 'playing' : player.current() ? 'paused' : 'none'
  })
  effect(() => {
    const duration = player.duration.value
    const position = Math.min(player.position.value, duration)
    if (duration > 0 && ms.setPositionState) {
      try {
        ms.setPositionState({ duration, position, playbackRate: 1 })
      } catch {
        // Some browsers reject a position past a duration they have not caught up with yet.
      }
    }
  })
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['play', () => void player.play()],
    ['pause', () => player.pause()],
    ['nexttrack', () => player.next()],
    ['previoustrack', () => player.previous()],
    ['seekto', (d) => d.seekTime !== undefined && player.seek(d.seekTime)],
    ['seekforward', (d) => player.seek(player.position.value + (d.seekOffset ?? 10))],
    ['seekbackward', (d) => player.seek(Math.max(0, player.position.value - (d.seekOffset ?? 10)))],
  ]
  for (const [action, fn] of handlers) {
    try {
      ms.setActionHandler(action, fn)
    } catch {
      // An action this browser does not know.
    }
  }
}
