import { generateNKeysBetween } from 'fractional-indexing'

// Order keys of playlist entries are fractional indexes: a new key sorts between two given ones,
// so placing entries writes only their own rows. Keys sort by plain byte comparison, which is
// how SQLite compares text by default.

/** `count` keys between `before` and `after` (null: the start or the end), in order. */
export const keysBetween = (before: string | null, after: string | null, count: number): string[] =>
  generateNKeysBetween(before, after, count)
