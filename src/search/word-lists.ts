import { type IndexedDoc, type KindIndex, NAME_END } from './kind-index.ts'

// Lists for short and common words, which are not looked up in MiniSearch (a prefix of two
// letters expands to thousands of terms) but found by substring searches in the items' terms.
// A pass over all 100k items cost 10–50 ms on a first keystroke, so after each build every item
// is filed once under the first one to four letters of each of its terms, each list already in
// the order a lone word being typed is ranked in (see wordList). A word being typed of up to four
// letters (the ones MiniSearch is not asked about) is then a filed list; a longer or common whole
// word is checked only on the items filed under its first four letters. Four letters, not three:
// "love" is held by a third of the tracks, and filtering the "lov" list cost 20 ms.

const FILED_LETTERS = 4
// Yield to the event loop every so many items while filing (100k tracks take a few hundred ms).
const FILING_CHUNK = 10_000

export interface Filed {
  /** Positions in the index's name order, per prefix of one to four letters, best first. */
  lists: ReadonlyMap<string, Int32Array>
  /** The household's popularity order: rank → position, and position → rank. */
  order: Int32Array
  rankOf: Int32Array
  /** The id at each position (read in every list's loop: a typed array, no object to visit). */
  idAt: Int32Array
  /** The highest id filed, to size marks by id. */
  maxId: number
  /**
   * Marks by id, reused by every query: a fresh 100 KB array per query made the collector run
   * a full collection of the whole index every few queries (10–30 ms pauses).
   */
  marks: Uint8Array
}

/** Where a term is first held: 0 the name starts with it, 1 elsewhere in the name, 2 another field. */
function tierAt(haystack: string, i: number): number {
  return i === 0 ? 0 : i < haystack.indexOf(NAME_END) ? 1 : 2
}

/**
 * Files every item of an index by the prefixes of its terms. Returns null when `stale()` turns
 * true meanwhile (the index changed between two chunks).
 */
export async function fileItems(
  index: KindIndex,
  household: (id: number) => number,
  pause: () => Promise<void>,
  stale: () => boolean,
): Promise<Filed | null> {
  const docs = index.byName()
  const boosts = new Float64Array(docs.length)
  const order = new Int32Array(docs.length)
  const idAt = new Int32Array(docs.length)
  let maxId = 0
  for (let at = 0; at < docs.length; at++) {
    const id = (docs[at] as IndexedDoc).id
    idAt[at] = id
    boosts[at] = household(id)
    order[at] = at
    if (id > maxId) maxId = id
  }
  order.sort((a, b) => (boosts[b] as number) - (boosts[a] as number) || a - b)
  const rankOf = new Int32Array(docs.length)
  for (let r = 0; r < order.length; r++) rankOf[order[r] as number] = r
  // Per prefix, the positions of its holders by tier; visiting items most played first keeps each in order.
  const filed = new Map<string, [number[], number[], number[]]>()
  const mine = new Set<string>()
  for (let r = 0; r < order.length; r++) {
    if (r % FILING_CHUNK === FILING_CHUNK - 1) {
      await pause()
      if (stale()) return null
    }
    const at = order[r] as number
    const hay = (docs[at] as IndexedDoc).haystack
    const nameEnd = hay.indexOf(NAME_END)
    mine.clear()
    // The haystack is " term term \u0001 term ", so each term starts after a space.
    for (let start = 1; start < hay.length; ) {
      const end = hay.indexOf(' ', start)
      if (end < 0) break
      const tier = start === 1 ? 0 : start < nameEnd ? 1 : 2
      for (let n = 1; n <= FILED_LETTERS && n <= end - start; n++) {
        const key = hay.slice(start, start + n)
        if (key === NAME_END || mine.has(key)) continue
        mine.add(key)
        let lists = filed.get(key)
        if (!lists) {
          lists = [[], [], []]
          filed.set(key, lists)
        }
        lists[tier]?.push(at)
      }
      start = end + 1
    }
  }
  const lists = new Map<string, Int32Array>()
  for (const [key, tiers] of filed) lists.set(key, Int32Array.from(tiers.flat()))
  return { lists, order, rankOf, idAt, maxId, marks: new Uint8Array(maxId + 1) }
}

/**
 * Marks, by id, the items filed under the first letters of every one of these terms (with the
 * number of terms): the only ones that can hold them all. Checking a mark costs far less than a
 * substring search in the item's terms. The marks are the filed items' shared array, valid
 * until the next call.
 */
export function mayHoldAll(filed: Filed, terms: readonly string[]): Uint8Array {
  const { marks, idAt } = filed
  marks.fill(0)
  // An item filed under the first k terms' letters has mark k, so marks count the terms it may hold.
  terms.forEach((term, k) => {
    for (const at of filed.lists.get(term.slice(0, FILED_LETTERS)) ?? []) {
      const id = idAt[at] as number
      if (marks[id] === k) marks[id] = k + 1
    }
  })
  return marks
}

/** The items of an index filed under a term's first letters, marked 1 (see mayHoldAll). */
export const mayHold = (_index: KindIndex, filed: Filed, term: string): Uint8Array =>
  mayHoldAll(filed, [term])

/**
 * Every item holding a short or common word, best first: the name starting with it, then the name
 * holding it, then another field; then popularity; then name order. For such words BM25 tells
 * little (every holder scores alike), and substring searches over the items' terms cost less
 * than scoring tens of thousands of postings. `filed` (by the household's popularity) narrows the
 * items searched; `household` says `boost` is the one it was filed by.
 */
export function wordList(
  index: KindIndex,
  term: string,
  prefix: boolean,
  boost: (id: number) => number,
  filed?: Filed,
  household = false,
): number[] {
  const docs = index.byName()
  // Positions are only at hand from filed lists.
  const ids = ({ idAt }: Filed, positions: Int32Array) => {
    const out = new Array<number>(positions.length)
    for (let i = 0; i < positions.length; i++) out[i] = idAt[positions[i] as number] as number
    return out
  }
  const candidates = filed?.lists.get(term.slice(0, FILED_LETTERS))
  if (filed && !candidates) return []
  if (filed && candidates && household && prefix && term.length <= FILED_LETTERS)
    return ids(filed, candidates)
  const needle = prefix ? ` ${term}` : ` ${term} `
  if (filed && candidates && household) {
    // Ranks in popularity order per tier: a native numeric sort puts each tier back in order.
    const tiers: number[][] = [[], [], []]
    for (const at of candidates) {
      const hay = (docs[at] as IndexedDoc).haystack
      const i = hay.indexOf(needle)
      if (i >= 0) tiers[tierAt(hay, i)]?.push(filed.rankOf[at] as number)
    }
    return tiers.flatMap((ranks) =>
      ids(
        filed,
        Int32Array.from(ranks)
          .sort()
          .map((r) => filed.order[r] as number),
      ),
    )
  }
  const hits: { id: number; tier: number; boost: number; at: number }[] = []
  const visit = (at: number) => {
    const doc = docs[at] as IndexedDoc
    const i = doc.haystack.indexOf(needle)
    if (i >= 0) hits.push({ id: doc.id, tier: tierAt(doc.haystack, i), boost: boost(doc.id), at })
  }
  if (candidates) for (const at of candidates) visit(at)
  else for (let at = 0; at < docs.length; at++) visit(at)
  hits.sort((a, b) => a.tier - b.tier || b.boost - a.boost || a.at - b.at)
  return hits.map((h) => h.id)
}
