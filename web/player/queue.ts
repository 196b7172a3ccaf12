// The play queue as plain data and pure functions, so its rules (shuffle keeps the current track,
// repeat, previous restarts after 3 s, reorder) are tested without a browser.
import type { Track } from '../lib/types.ts'

export type Repeat = 'off' | 'all' | 'one'

export interface Queue {
  tracks: Track[]
  /** Play order: indexes into `tracks`; the identity unless shuffled. */
  order: number[]
  /** Position in `order` of the current track. */
  at: number
  shuffle: boolean
  repeat: Repeat
}

export const emptyQueue = (): Queue => ({ tracks: [], order: [], at: 0, shuffle: false, repeat: 'off' })

const identity = (n: number) => Array.from({ length: n }, (_, i) => i)

// Fisher–Yates with an injectable random source, so tests can fix it.
function shuffled(xs: number[], random: () => number): number[] {
  const a = [...xs]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[a[i], a[j]] = [a[j] as number, a[i] as number]
  }
  return a
}

export function current(q: Queue): Track | null {
  const i = q.order[q.at]
  return i === undefined ? null : (q.tracks[i] ?? null)
}

/** Replace the queue with `tracks`, starting at `start` (an index into `tracks`). */
export function setTracks(q: Queue, tracks: Track[], start = 0, random = Math.random): Queue {
  const order = identity(tracks.length)
  if (!q.shuffle) return { ...q, tracks, order, at: start }
  const rest = shuffled(
    order.filter((i) => i !== start),
    random,
  )
  return { ...q, tracks, order: [start, ...rest], at: 0 }
}

/** Append, or insert right after the current track when `next`. */
export function addTracks(q: Queue, tracks: Track[], next = false): Queue {
  const base = q.tracks.length
  const added = tracks.map((_, i) => base + i)
  const cut = next ? q.at + 1 : q.order.length
  return {
    ...q,
    tracks: [...q.tracks, ...tracks],
    order: [...q.order.slice(0, cut), ...added, ...q.order.slice(cut)],
  }
}

/** Shuffle the tracks after the current one (the current keeps playing); off restores album order. */
export function setShuffle(q: Queue, on: boolean, random = Math.random): Queue {
  const playing = q.order[q.at]
  if (on) {
    const rest = shuffled(
      q.order.filter((_, k) => k !== q.at),
      random,
    )
    return playing === undefined
      ? { ...q, shuffle: on, order: rest, at: 0 }
      : { ...q, shuffle: on, order: [playing, ...rest], at: 0 }
  }
  const order = identity(q.tracks.length)
  return { ...q, shuffle: on, order, at: playing === undefined ? 0 : order.indexOf(playing) }
}

export const cycleRepeat = (r: Repeat): Repeat => (r === 'off' ? 'all' : r === 'all' ? 'one' : 'off')

/** The position that follows `at`: `auto` when the track ended by itself (repeat-one replays it). */
export function nextIndex(q: Queue, auto: boolean): number | null {
  if (q.order.length === 0) return null
  if (auto && q.repeat === 'one') return q.at
  if (q.at + 1 < q.order.length) return q.at + 1
  return q.repeat === 'off' ? null : 0
}

export function previousIndex(q: Queue): number | null {
  if (q.order.length === 0) return null
  if (q.at > 0) return q.at - 1
  return q.repeat === 'off' ? 0 : q.order.length - 1
}

/** Move the entry at play position `from` to `to`; the current track stays current. */
export function move(q: Queue, from: number, to: number): Queue {
  if (from === to || from < 0 || to < 0 || from >= q.order.length || to >= q.order.length) return q
  const playing = q.order[q.at]
  const order = [...q.order]
  const [item] = order.splice(from, 1)
  order.splice(to, 0, item as number)
  return { ...q, order, at: order.indexOf(playing as number) }
}

/** Remove the entry at play position `k` (not the current one). */
export function remove(q: Queue, k: number): Queue {
  if (k === q.at || k < 0 || k >= q.order.length) return q
  const order = q.order.filter((_, i) => i !== k)
  return { ...q, order, at: k < q.at ? q.at - 1 : q.at }
}

/** The tracks in play order, with their play positions. */
export const upcoming = (q: Queue) => q.order.map((i, k) => ({ k, track: q.tracks[i] as Track }))
