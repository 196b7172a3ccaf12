import type { Query, SearchOptions } from 'minisearch'
import type { Field, SearchKind } from './documents.ts'
import type { IndexedDoc, KindIndex } from './kind-index.ts'
import type { ParsedQuery, TextFilter } from './query.ts'
import { isUnspaced } from './text.ts'

// The query plan, built for latency (MiniSearch with fuzzy and prefix on every term took
// 30–110 ms at 100k tracks): all terms must match (AND); only the last term is a prefix; only
// terms of 4+ characters are fuzzy, by one edit (two from 8); terms too common to look up cheaply
// and a one- or two-letter last word are not looked up at all but checked on the candidates the
// other terms found; a lone one- or two-letter word is answered from a cached list. When no item
// holds every word, items holding some of them are returned ("partial multi-word").

export interface Ranked {
  ids: number[]
}

/** Field weights: name or title above album above the rest. */
const BOOST: Record<Field, number> = { name: 3, album: 1.5, artist: 1.2, genre: 0.5 }
/** Exact matches weigh 1; a prefix at most this, a typo at most that. */
const WEIGHTS = { prefix: 0.5, fuzzy: 0.2 }
const SHORT = 3

const FILTER_FIELD: Record<SearchKind, Record<TextFilter, Field | null>> = {
  artist: { artist: 'name', album: null, genre: 'genre' },
  album: { artist: 'artist', album: 'name', genre: 'genre' },
  track: { artist: 'artist', album: 'album', genre: 'genre' },
}

export const fuzziness = (term: string): number | false =>
  isUnspaced(term) ? false : term.length >= 8 ? 2 : term.length >= 4 ? 1 : false

const isShort = (term: string) => term.length < SHORT && !isUnspaced(term)

/** Does the item hold this term (or, for the word being typed, a term starting with it)? */
export function holds(doc: IndexedDoc, term: string, prefix: boolean): boolean {
  for (const list of doc.terms)
    for (const t of list) if (t === term || (prefix && t.startsWith(term))) return true
  return false
}

function inYears(doc: IndexedDoc, years: ParsedQuery['years']): boolean {
  return !years || (doc.year !== null && doc.year >= years.from && doc.year <= years.to)
}

/** Items whose name has a word starting with `prefix`, best first: name starting with it, then popularity. */
export function prefixList(index: KindIndex, prefix: string, boost: (id: number) => number): number[] {
  const hits: { id: number; tier: number; boost: number; key: string }[] = []
  for (const doc of index.docs.values()) {
    const name = doc.terms[0] ?? []
    let tier = -1
    if (name[0]?.startsWith(prefix)) tier = 0
    else if (name.some((t) => t.startsWith(prefix))) tier = 1
    else if (holds(doc, prefix, true)) tier = 2
    if (tier >= 0) hits.push({ id: doc.id, tier, boost: boost(doc.id), key: doc.sortKey })
  }
  hits.sort((a, b) => a.tier - b.tier || b.boost - a.boost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return hits.map((h) => h.id)
}

export function rank(
  index: KindIndex,
  q: ParsedQuery,
  boost: (id: number) => number,
  shortList: (prefix: string) => number[],
): number[] {
  if (q.nothing) return []
  if (q.everything) return index.byName().map((d) => d.id)

  const filterLeaves: Query[] = []
  for (const [filter, terms] of Object.entries(q.filters) as [TextFilter, string[]][]) {
    const field = FILTER_FIELD[index.kind][filter]
    if (!field) return []
    for (const term of terms) filterLeaves.push({ queries: [term], fields: [field], fuzzy: fuzziness(term) })
  }

  const last = q.terms.length - 1
  const lookedUp: { term: string; prefix: boolean }[] = []
  const deferred: { term: string; prefix: boolean }[] = []
  const common = Math.max(2000, index.docs.size * 0.05)
  q.terms.forEach((term, i) => {
    const prefix = i === last
    const cheap = !(prefix && isShort(term)) && index.frequency(term) <= common
    ;(cheap ? lookedUp : deferred).push({ term, prefix })
  })

  if (lookedUp.length === 0 && filterLeaves.length === 0) {
    // A lone short word is answered from the cached list of names starting with it.
    if (deferred.length === 1 && deferred[0]?.prefix && isShort(deferred[0].term)) {
      const list = shortList(deferred[0].term)
      return q.years ? list.filter((id) => inYears(index.docs.get(id) as IndexedDoc, q.years)) : list
    }
    // Only common words: look up the rarest full word, check the others on what it finds.
    const full = deferred.filter((d) => !(d.prefix && isShort(d.term)))
    full.sort((a, b) => index.frequency(a.term) - index.frequency(b.term))
    const rarest = full[0]
    if (rarest) {
      lookedUp.push(rarest)
      deferred.splice(deferred.indexOf(rarest), 1)
    }
  }

  const keep = (doc: IndexedDoc | undefined, all: boolean) =>
    doc !== undefined &&
    inYears(doc, q.years) &&
    (!all || deferred.every((d) => holds(doc, d.term, d.prefix)))

  if (lookedUp.length === 0 && filterLeaves.length === 0)
    // Only a year range: every item of those years, in name order.
    return index
      .byName()
      .filter((d) => keep(d, true))
      .map((d) => d.id)

  const termLeaves: Query[] = lookedUp.map(({ term, prefix }) => ({
    queries: [term],
    prefix,
    fuzzy: fuzziness(term),
  }))
  const options: SearchOptions = {
    boost: BOOST,
    weights: WEIGHTS,
    boostDocument: (id: number) => boost(id),
  }
  const run = (combine: 'AND' | 'OR') => {
    const text: Query[] =
      combine === 'AND' || termLeaves.length < 2 ? termLeaves : [{ combineWith: 'OR', queries: termLeaves }]
    return index.mini.search({ combineWith: 'AND', queries: [...text, ...filterLeaves] }, options)
  }
  let all = true
  let results = run('AND').filter((r) => keep(index.docs.get(r.id), true))
  if (results.length === 0 && q.terms.length > 1 && termLeaves.length > 0) {
    all = false
    results = run('OR').filter((r) => keep(index.docs.get(r.id), all))
  }
  return results.map((r) => r.id as number)
}
