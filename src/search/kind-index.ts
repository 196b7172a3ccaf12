import { FIELDS, type Field, type SearchDoc, type SearchKind } from './documents.ts'
import { createTermIndex } from './term-index.ts'
import { indexTerms } from './text.ts'

// One term index (term-index.ts: MiniSearch's radix tree, our postings, MiniSearch's scores)
// per kind of item, so a query for tracks never scores artists and the small artist and album
// indexes answer in microseconds. The track index holds titles only: a track is found by its
// album or artist through the album and artist indexes (8k and 5k items instead of the same
// names repeated in 100k tracks), which keeps it a third of the size and the build a third of
// the time. Beside its terms each index keeps what ranking needs: each item's terms (to check a
// deferred term on a handful of candidates), each term's document frequency (to see which terms
// are too common to look up), and the name order for empty queries and year ranges.

/**
 * What the index keeps per item: little, since there are 100k tracks. Names and covers for the
 * suggestions shown are read from the catalog when needed; the name order comes from it too.
 */
export interface IndexedDoc {
  id: number
  year: number | null
  albumId: number | null
  /** Shared between items with the same folders or artists. */
  folders: readonly number[]
  artistIds: readonly number[]
  /**
   * Every term, space-separated with a space at each end, the name's terms first and then, after
   * NAME_END, the other fields': " rage against the machine \u0001 metal ". Checking a deferred
   * term on a candidate is one native substring search.
   */
  haystack: string
}

export const NAME_END = '\u0001'

/** The terms of an item's name, for judging how well a name matches. */
export function nameTerms(doc: IndexedDoc): string[] {
  const end = doc.haystack.indexOf(NAME_END)
  return doc.haystack
    .slice(1, end - 1)
    .split(' ')
    .filter(Boolean)
}

/** One shared array per distinct list (folder ids, artist ids repeat across thousands of items). */
function interner() {
  const seen = new Map<string, readonly number[]>()
  // Most items have one folder and one artist: keyed by the number, no string is built.
  const single = new Map<number, readonly number[]>()
  return (xs: readonly number[]): readonly number[] => {
    if (xs.length === 1) {
      const only = single.get(xs[0] as number)
      if (only) return only
      single.set(xs[0] as number, xs)
      return xs
    }
    const key = xs.join(',')
    const known = seen.get(key)
    if (known) return known
    seen.set(key, xs)
    return xs
  }
}

/** What the term index holds per kind; the rest of a track's text is reached through its album and artists. */
export const INDEXED: Record<SearchKind, readonly Field[]> = {
  artist: ['name', 'genre'],
  album: ['name', 'artist', 'genre'],
  track: ['name'],
}

const EMPTY: readonly string[] = []
// Repeated album and artist names are tokenized once; the cache is dropped when it grows large.
const MAX_MEMO = 50_000

// Arrays, not Sets: building 300k Set entries at start-up cost more than the rare removals save.
function addTo<K>(map: Map<K, number[]>, key: K, id: number) {
  const list = map.get(key)
  if (list) list.push(id)
  else map.set(key, [id])
}
function removeFrom<K>(map: Map<K, number[]>, key: K, id: number) {
  const list = map.get(key)
  const at = list?.indexOf(id) ?? -1
  if (!list || at < 0) return
  list.splice(at, 1)
  if (list.length === 0) map.delete(key)
}

export function createKindIndex(kind: SearchKind, nameOrder: () => number[]) {
  const intern = interner()
  const memo = new Map<string, string[]>()
  const tokenize = (text: string): string[] => {
    let terms = memo.get(text)
    if (!terms) {
      if (memo.size >= MAX_MEMO) memo.clear()
      terms = indexTerms(text)
      memo.set(text, terms)
    }
    return terms
  }
  const indexed = INDEXED[kind]
  const at = indexed.map((f) => FIELDS.indexOf(f))
  const terms = createTermIndex(indexed)
  // An item's terms per indexed field, in the term index's field order.
  const ofIndexed = (fields: readonly (readonly string[])[]) => at.map((i) => fields[i])
  const docs = new Map<number, IndexedDoc>()
  const frequency = new Map<string, { n: number; last: number }>()
  // Tracks by album and by artist, for finding tracks through the album and artist indexes.
  const byAlbum = new Map<number, number[]>()
  const byArtist = new Map<number, number[]>()
  // …and by genre term: a few dozen terms, so a track's genre needs no index of its own.
  const byGenre = new Map<string, number[]>()
  const GENRE = FIELDS.indexOf('genre')
  let byName: IndexedDoc[] | null = null
  // The year of each item in name order: a year filter alone is a pass over this, not over items.
  let yearAt: Int16Array | null = null
  const inNameOrder = () => {
    byName ??= nameOrder().flatMap((id) => docs.get(id) ?? [])
    return byName
  }
  let generation = 0

  // Each count remembers the last item counted, so a term in several fields of an item counts once.
  let counting = 0
  const countTerms = (fields: readonly (readonly string[])[], by: 1 | -1) => {
    counting++
    for (const terms of fields)
      for (const t of terms) {
        if (t === '' || t === NAME_END) continue
        const count = frequency.get(t)
        if (count?.last === counting) continue
        if (!count) {
          if (by > 0) frequency.set(t, { n: 1, last: counting })
          continue
        }
        count.n += by
        count.last = counting
        if (count.n <= 0) frequency.delete(t)
      }
  }

  /** Indexes an item not in the index yet, tokenizing each field once for everything that needs its terms. */
  function add(doc: SearchDoc): void {
    const fields: (readonly string[])[] = []
    // The haystack's words: " name terms \u0001 other terms ", joined once.
    const words = ['']
    for (const f of FIELDS) {
      const text = doc.text[f]
      // Names are mostly unique: only the other fields (album, artist, genre) repeat enough to memoize.
      const held = !text ? EMPTY : f === 'name' && kind === 'track' ? indexTerms(text) : tokenize(text)
      fields.push(held)
      for (const t of held) words.push(t)
      if (f === 'name') words.push(NAME_END)
    }
    words.push('')
    const indexed: IndexedDoc = {
      id: doc.id,
      year: doc.year,
      albumId: doc.albumId,
      folders: intern(doc.folders),
      artistIds: intern(doc.artistIds),
      haystack: words.join(' '),
    }
    terms.add(doc.id, ofIndexed(fields))
    insert(indexed, fields)
  }

  function insert(d: IndexedDoc, fields: readonly (readonly string[])[]) {
    const genres = fields[GENRE] ?? EMPTY
    docs.set(d.id, d)
    countTerms(fields, 1)
    if (kind !== 'track') return
    if (d.albumId !== null) addTo(byAlbum, d.albumId, d.id)
    for (const a of d.artistIds) addTo(byArtist, a, d.id)
    for (const g of genres) addTo(byGenre, g, d.id)
  }

  function remove(id: number): IndexedDoc | undefined {
    const old = docs.get(id)
    if (!old) return undefined
    const held = old.haystack.split(' ').filter((t) => t !== '' && t !== NAME_END)
    // A title-only index need not search the postings of the album's and artist's terms.
    terms.remove(id, indexed.length === 1 && indexed[0] === 'name' ? nameTerms(old) : held)
    countTerms([held], -1)
    docs.delete(id)
    if (old.albumId !== null) removeFrom(byAlbum, old.albumId, id)
    for (const a of old.artistIds) removeFrom(byArtist, a, id)
    if (kind === 'track') for (const g of [...byGenre.keys()]) removeFrom(byGenre, g, id)
    return old
  }

  function changed() {
    byName = null
    yearAt = null
    generation++
  }

  return {
    kind,
    terms,
    docs,
    byAlbum,
    byArtist,
    byGenre,
    /** Bumped by every change, so caches of orderings know they are stale. */
    generation: () => generation,
    /** Items added in one go, as at start-up (orderings are redone once, not per item). */
    addAll(batch: readonly SearchDoc[]): void {
      for (const doc of batch) if (!docs.has(doc.id)) add(doc)
      changed()
    },
    /** Adds or replaces one item; returns the version it replaced. */
    put(doc: SearchDoc): IndexedDoc | undefined {
      const old = remove(doc.id)
      add(doc)
      changed()
      return old
    },
    remove(id: number): IndexedDoc | undefined {
      const old = remove(id)
      if (old) changed()
      return old
    },
    /** Documents holding this exact term (any field). */
    frequency: (term: string) => frequency.get(term)?.n ?? 0,
    termCount: () => frequency.size,
    /** Terms held by more than `n` items. */
    termsAbove(n: number): string[] {
      const out: string[] = []
      for (const [term, count] of frequency) if (count.n > n) out.push(term)
      return out
    },
    /** Every item in the browse lists' order (sort key, then id), read once per change. */
    byName: (): readonly IndexedDoc[] => inNameOrder(),
    /** Items of these years, in the browse lists' order. */
    ofYears(from: number, to: number): number[] {
      const items = inNameOrder()
      yearAt ??= Int16Array.from(items, (d) => d.year ?? 0)
      const out: number[] = []
      for (let at = 0; at < yearAt.length; at++) {
        const year = yearAt[at] as number
        if (year >= from && year <= to) out.push((items[at] as IndexedDoc).id)
      }
      return out
    },
    /** Frees the tokenizer's cache once the start-up build is done. */
    settle(): void {
      memo.clear()
    },
  }
}

export type KindIndex = ReturnType<typeof createKindIndex>
