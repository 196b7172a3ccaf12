import SearchableMap from 'minisearch/SearchableMap'

// The terms of one kind of item and the items holding each, scored the way MiniSearch scores
// them. MiniSearch's radix tree (SearchableMap, which the package exports for this) finds the
// terms — exact, by prefix, within one edit; the postings and BM25 are ours because MiniSearch
// keeps four Maps per document and one Map entry per posting: 55 MB for 100k track titles,
// against a few MB here. Our terms occur at most once per field (indexTerms drops repeats), so a
// posting needs no term frequency: it is the item's id and the length of its field, packed in
// one number. The scores are MiniSearch 7's (BM25 with k 1.2, b 0.7, d 0.5; a prefix match
// weighs `prefix · len / (len + 0.3 · extra letters)`, a typo `fuzzy · len / (len + edits)`),
// so rankings are what they were with MiniSearch.

/** Postings per field (in the index's field order): id · LENGTHS + field length. */
type Postings = (number[] | undefined)[]

// Field lengths above 63 terms (a long name in a script without spaces) count as 63: BM25 barely
// tells them apart, and ids stay within 32-bit integers up to 33 million.
const LENGTHS = 64
const BM25 = { k: 1.2, b: 0.7, d: 0.5 }

export interface TermSearch<F extends string> {
  /** Also every term starting with this one. */
  prefix: boolean
  /** Also every term within this many edits. */
  fuzzy: number | false
  /** The fields searched, with their weights. */
  boost: Partial<Record<F, number>>
  /** How much a prefix match and a typo match weigh against an exact one. */
  weights: { prefix: number; fuzzy: number }
}

export function createTermIndex<F extends string>(fields: readonly F[]) {
  const tree = new SearchableMap<Postings>()
  // The same postings by term: the tree walks its nodes' keys one by one to find a term, which
  // cost half a second over the 300k postings of a start-up build; a Map finds them at once.
  const known = new Map<string, Postings>()
  // Sum of each field's lengths over the items, for the average BM25 compares with.
  const totals = new Float64Array(fields.length)
  let count = 0

  function score(
    postings: Postings,
    weight: number,
    boosts: readonly (number | undefined)[],
    out: Map<number, number>,
  ) {
    for (let f = 0; f < fields.length; f++) {
      const boost = boosts[f]
      const list = postings[f]
      if (boost === undefined || !list) continue
      const n = list.length
      const idf = Math.log(1 + (count - n + 0.5) / (n + 0.5))
      const avg = (totals[f] as number) / count
      const w = weight * boost * idf
      for (let i = 0; i < n; i++) {
        const p = list[i] as number
        const length = p % LENGTHS
        const id = (p - length) / LENGTHS
        const tf = (BM25.k + 1) / (1 + BM25.k * (1 - BM25.b + (BM25.b * length) / avg))
        out.set(id, (out.get(id) ?? 0) + w * (BM25.d + tf))
      }
    }
  }

  return {
    /** Adds an item under its terms per field (each list free of repeats), in the index's field order. */
    add(id: number, terms: readonly (readonly string[] | undefined)[]): void {
      count++
      for (let f = 0; f < fields.length; f++) {
        const list = terms[f]
        if (!list || list.length === 0) continue
        totals[f] = (totals[f] as number) + list.length
        const posting = id * LENGTHS + Math.min(list.length, LENGTHS - 1)
        for (const term of list) {
          let postings = known.get(term)
          if (!postings) {
            postings = []
            known.set(term, postings)
            tree.set(term, postings)
          }
          const holders = postings[f]
          if (holders) holders.push(posting)
          else postings[f] = [posting]
        }
      }
    },

    /** Removes an item, given every term it was added under (in any field, in any order). */
    remove(id: number, terms: Iterable<string>): void {
      count--
      const counted = new Set<number>()
      for (const term of terms) {
        const postings = known.get(term)
        if (!postings) continue
        for (let f = 0; f < fields.length; f++) {
          const list = postings[f]
          const at = list?.findIndex((p) => Math.floor(p / LENGTHS) === id) ?? -1
          if (!list || at < 0) continue
          if (!counted.has(f)) {
            counted.add(f)
            totals[f] = (totals[f] as number) - ((list[at] as number) % LENGTHS)
          }
          list.splice(at, 1)
          if (list.length === 0) postings[f] = undefined
        }
        if (postings.every((list) => list === undefined)) {
          tree.delete(term)
          known.delete(term)
        }
      }
    },

    /** Items holding the term (or a term starting with it, or one within the edits), id → score. */
    search(term: string, options: TermSearch<F>): Map<number, number> {
      const out = new Map<number, number>()
      if (count === 0) return out
      const boosts = fields.map((f) => options.boost[f])
      const exact = known.get(term)
      if (exact) score(exact, 1, boosts, out)
      const typos = options.fuzzy ? tree.fuzzyGet(term, options.fuzzy) : undefined
      if (options.prefix)
        for (const [found, postings] of tree.atPrefix(term)) {
          const extra = found.length - term.length
          if (extra === 0) continue
          // A term both a prefix and a typo match counts as a prefix match.
          typos?.delete(found)
          score(postings, (options.weights.prefix * found.length) / (found.length + 0.3 * extra), boosts, out)
        }
      if (typos)
        for (const [found, [postings, edits]] of typos) {
          if (edits === 0) continue
          score(postings, (options.weights.fuzzy * found.length) / (found.length + edits), boosts, out)
        }
      return out
    },

    /** Distinct terms indexed. */
    size: () => known.size,
  }
}

export type TermIndex<F extends string> = ReturnType<typeof createTermIndex<F>>
