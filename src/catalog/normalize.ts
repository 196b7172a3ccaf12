// How names become identities and sort keys. Kept apart from the scanner so browse queries and
// future search use exactly the same folding.

/** Case, width and diacritics folded: "Björk", "BJORK" and "ｂｊｏｒｋ" are one artist. */
export function fold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** The folded form lists sort by: "The Beatles" sorts as "beatles", "A Tribe…" stays under A. */
export function sortKeyOf(name: string): string {
  const folded = fold(name)
  const stripped = folded.replace(/^the /, '')
  return stripped === '' ? folded : stripped
}

/** A display sort name when no sort tag exists: "The Beatles" → "Beatles, The". */
export function sortNameOf(name: string): string {
  const match = /^the\s+(.+)$/i.exec(name.trim())
  return match ? `${match[1]}, ${name.trim().slice(0, 3)}` : name.trim()
}

export const DEFAULT_ARTIST_SEPARATORS: readonly string[] = [';', ' / ', ' feat. ', ' ft. ', ' featuring ']

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Splits one tag value on the configured separators (case-insensitive), keeping the order and
 * dropping empties and repeats. An explicit multi-valued tag (ARTISTS) never goes through here,
 * so "AC/DC" or "Simon & Garfunkel" only split if someone configured "/" or "&".
 */
export function splitNames(value: string, separators: readonly string[]): string[] {
  const usable = separators.filter((s) => s !== '')
  const parts =
    usable.length === 0 ? [value] : value.split(new RegExp(usable.map(escapeRegExp).join('|'), 'i'))
  return unique(parts)
}

/** Trims, drops empty values and case/diacritics-insensitive repeats, keeping the first spelling. */
export function unique(values: readonly string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of values) {
    const value = raw.trim()
    const key = fold(value)
    if (key === '' || seen.has(key)) continue
    seen.add(key)
    out.push(value)
  }
  return out
}

// Genres use fixed separators: the common ID3/Vorbis habits, not a per-library setting.
const GENRE_SEPARATOR = /\s*[;/,]\s*/

export function splitGenres(values: readonly string[]): string[] {
  return unique(values.flatMap((v) => v.split(GENRE_SEPARATOR)))
}
