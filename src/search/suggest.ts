import type { Db } from '../platform/sqlite.ts'
import { loadDisplay, SEARCH_KINDS, type SearchKind } from './documents.ts'
import { type IndexedDoc, nameTerms } from './kind-index.ts'
import { fuzziness } from './rank.ts'

// Mixing kinds for suggestions: each index's scores are its own (BM25 over different
// collections), so items are ordered by how well their *name* matches what was typed — the
// whole name, every word exactly, every word or the one being typed as a prefix, with a typo —
// then artists before albums before tracks, then each index's own ranking.

export const KIND_ORDER: Record<SearchKind, number> = { artist: 0, album: 1, track: 2 }
const FILLER = new Set(['the', 'a', 'an'])

// Hand-rolled: a bounded edit distance on two short words, run on a handful of suggestions;
// MiniSearch only offers it inside its own tree walk.
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      row.push(v)
      best = Math.min(best, v)
    }
    if (best > max) return false
    prev = row
  }
  return (prev[b.length] as number) <= max
}

/** 0: the name is exactly what was typed; 1: every word exact; 2: exact or prefix; 3: with typos; 4: matched elsewhere. */
export function nameTier(doc: IndexedDoc, terms: readonly string[]): number {
  const name = nameTerms(doc)
  if (terms.length === 0) return 4
  let worst = 0
  terms.forEach((term, i) => {
    let tier = 4
    if (name.includes(term)) tier = 1
    else if (i === terms.length - 1 && name.some((t) => t.startsWith(term))) tier = 2
    else {
      const edits = fuzziness(term)
      if (edits && name.some((t) => withinEdits(term, t, edits))) tier = 3
    }
    worst = Math.max(worst, tier)
  })
  if (worst === 1) {
    const words = name.filter((t) => !FILLER.has(t))
    if (words.length > 0 && words.every((t) => terms.includes(t))) return 0
  }
  return worst
}

export interface Suggestion {
  kind: SearchKind
  id: number
  name: string
  /** The artist of an album or track; null for an artist. */
  artist: string | null
  albumId: number | null
  coverId: string | null
  year: number | null
}

/** Up to `limit` suggestions from each kind's best items (visible to the asker), mixed, with what they show. */
export function mix(
  db: Db,
  best: (kind: SearchKind) => Iterable<IndexedDoc>,
  terms: readonly string[],
  limit: number,
): Suggestion[] {
  const candidates: { doc: IndexedDoc; kind: SearchKind; tier: number; rank: number }[] = []
  for (const kind of SEARCH_KINDS) {
    let n = 0
    for (const doc of best(kind)) {
      candidates.push({ doc, kind, tier: nameTier(doc, terms), rank: n })
      if (++n >= limit) break
    }
  }
  candidates.sort((a, b) => a.tier - b.tier || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.rank - b.rank)
  const shown = candidates.slice(0, limit)
  const display = Object.fromEntries(
    SEARCH_KINDS.map((k) => [
      k,
      loadDisplay(
        db,
        k,
        shown.filter((c) => c.kind === k).map((c) => c.doc.id),
      ),
    ]),
  ) as Record<SearchKind, ReturnType<typeof loadDisplay>>
  return shown.flatMap(({ doc, kind }) => {
    const d = display[kind].get(doc.id)
    if (!d) return []
    return [
      {
        kind,
        id: doc.id,
        name: d.name,
        artist: d.artist,
        albumId: doc.albumId,
        coverId: d.coverId,
        year: doc.year,
      },
    ]
  })
}
