import MiniSearch from 'minisearch'
import { FIELDS, type Field, type SearchDoc, type SearchKind } from './documents.ts'
import { indexTerms } from './text.ts'

// One MiniSearch index per kind of item, so a query for tracks never scores artists and the
// small artist and album indexes answer suggestions in microseconds. Beside MiniSearch it keeps
// what ranking needs and MiniSearch does not expose: each item's terms per field (to check a
// deferred term on a handful of candidates), each term's document frequency (to see which terms
// are too common to look up), and the name order for empty queries.

export interface IndexedDoc extends SearchDoc {
  /** Terms per field, in FIELDS order; arrays are shared between items with the same text. */
  terms: readonly (readonly string[])[]
}

const EMPTY: readonly string[] = []
// Repeated album and artist names are tokenized once; the cache is dropped when it grows large.
const MAX_MEMO = 200_000

export function createKindIndex(kind: SearchKind) {
  const fields = FIELDS.filter((f) => kind !== 'artist' || f === 'name' || f === 'genre')
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
  const mini = new MiniSearch<IndexedDoc>({
    idField: 'id',
    fields: [...fields],
    storeFields: [],
    extractField: (doc, field) => (field === 'id' ? doc.id : doc.text[field as Field]) as string,
    tokenize,
    processTerm: (t) => t,
    // Query terms arrive already folded and split (src/search/text.ts), one per leaf.
    searchOptions: { tokenize: (t) => [t], processTerm: (t) => t },
  })
  const docs = new Map<number, IndexedDoc>()
  const frequency = new Map<string, number>()
  let byName: IndexedDoc[] | null = null
  let generation = 0

  const countTerms = (doc: IndexedDoc, by: 1 | -1) => {
    const seen = new Set<string>()
    for (const list of doc.terms) for (const t of list) seen.add(t)
    for (const t of seen) {
      const n = (frequency.get(t) ?? 0) + by
      if (n <= 0) frequency.delete(t)
      else frequency.set(t, n)
    }
  }

  function prepare(doc: SearchDoc): IndexedDoc {
    return { ...doc, terms: FIELDS.map((f) => (doc.text[f] ? tokenize(doc.text[f]) : EMPTY)) }
  }

  function remove(id: number): IndexedDoc | undefined {
    const old = docs.get(id)
    if (!old) return undefined
    mini.discard(id)
    countTerms(old, -1)
    docs.delete(id)
    return old
  }

  function changed() {
    byName = null
    generation++
  }

  return {
    kind,
    mini,
    docs,
    fields,
    /** Bumped by every change, so caches of orderings know they are stale. */
    generation: () => generation,
    /** Items added in one go, as at start-up (faster than one by one). */
    addAll(batch: readonly SearchDoc[]): void {
      const prepared = batch.filter((d) => !docs.has(d.id)).map(prepare)
      mini.addAll(prepared)
      for (const d of prepared) {
        docs.set(d.id, d)
        countTerms(d, 1)
      }
      changed()
    },
    /** Adds or replaces one item; returns the version it replaced. */
    put(doc: SearchDoc): IndexedDoc | undefined {
      const old = remove(doc.id)
      const d = prepare(doc)
      mini.add(d)
      docs.set(d.id, d)
      countTerms(d, 1)
      changed()
      return old
    },
    remove(id: number): IndexedDoc | undefined {
      const old = remove(id)
      if (old) changed()
      return old
    },
    /** Documents holding this exact term (any field). */
    frequency: (term: string) => frequency.get(term) ?? 0,
    termCount: () => frequency.size,
    /** Every item in the browse lists' order (sort key, then id), computed once per change. */
    byName(): readonly IndexedDoc[] {
      byName ??= [...docs.values()].sort((a, b) =>
        a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : a.id - b.id,
      )
      return byName
    },
    /** Frees the tokenizer's cache once the start-up build is done. */
    settle(): void {
      memo.clear()
    },
  }
}

export type KindIndex = ReturnType<typeof createKindIndex>
