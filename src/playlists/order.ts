import { generateNKeysBetween } from 'fractional-indexing'

// Order keys of playlist entries. Keys are fractional indexes: a new key sorts between two given
// ones, so placing entries writes only their own rows. Keys sort by plain byte comparison, which
// is how SQLite compares text by default.

export interface Keyed {
  id: number
  position: string
}

/**
 * `count` keys for entries placed right after `after` (or at the start when null), in the full
 * list `all` (sorted by key, hidden entries included, the entries being placed left out): the next
 * key in `all` is the upper bound, so a key never lands on an existing one.
 */
export function keysAfter(all: readonly Keyed[], after: string | null, count: number): string[] {
  const next = after === null ? all[0] : all.find((e) => e.position > after)
  return generateNKeysBetween(after, next?.position ?? null, count)
}

/** `count` keys placed right before `before` (an entry of `all`). */
export function keysBefore(all: readonly Keyed[], before: string, count: number): string[] {
  let previous: string | null = null
  for (const e of all) {
    if (e.position >= before) break
    previous = e.position
  }
  return generateNKeysBetween(previous, before, count)
}

/** Keys for a fresh list. */
export const firstKeys = (count: number): string[] => generateNKeysBetween(null, null, count)
