import type { Field, SearchKind } from './documents.ts'
import { INDEXED, type IndexedDoc, type KindIndex } from './kind-index.ts'
import type { ParsedQuery, TextFilter } from './query.ts'
import { isUnspaced } from './text.ts'
import { type Filed, mayHoldAll, wordList } from './word-lists.ts'

// The query plan, built for latency (MiniSearch with fuzzy and prefix on every term took
// 30–110 ms at 100k tracks): all terms must match (AND); only the last term is a prefix; only
// terms of 4+ characters are fuzzy, by one edit; terms too common to look up cheaply
// and a one- or two-letter last word are not looked up at all but checked on the candidates the
// other terms found; a lone short or common word is answered from a list cached per index
// version. Tracks are matched by title in their own index and by album and artist through the
// small album and artist indexes. When no item holds every word, items holding some of them are
// returned ("partial multi-word").

export interface Indexes {
  artist: KindIndex
  album: KindIndex
  track: KindIndex
}

interface Leaf {
  term: string
  prefix: boolean
  /** Only this field (a filter), else every field. */
  field?: Field
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

/** One edit from four letters on: two edits cost several times more in the tree walk and rarely help. */
export const fuzziness = (term: string): number | false => (isUnspaced(term) || term.length < 4 ? false : 1)

/** Terms held by more items than this are too common to look up: they are checked on candidates. */
export const commonFrom = (index: KindIndex): number => Math.max(2000, index.docs.size * 0.05)

const isShort = (term: string) => term.length < SHORT && !isUnspaced(term)

/**
 * Which items hold every one of these terms (or, for the word being typed, a term starting with
 * it), in the years asked. The needles are made once per query, not once per item checked: the
 * garbage of thousands of small strings per query set the collector off on the whole index.
 */
function keeper(leaves: readonly Leaf[], years: ParsedQuery['years']) {
  const needles = leaves.map((d) => (d.prefix ? ` ${d.term}` : ` ${d.term} `))
  return (doc: IndexedDoc | undefined): doc is IndexedDoc => {
    if (doc === undefined || !inYears(doc, years)) return false
    for (const needle of needles) if (!doc.haystack.includes(needle)) return false
    return true
  }
}

function inYears(doc: IndexedDoc, years: ParsedQuery['years']): boolean {
  return !years || (doc.year !== null && doc.year >= years.from && doc.year <= years.to)
}

/** One leaf's matches in one kind's term index, id → weighted score. */
function search(index: KindIndex, leaf: Leaf, fields: readonly Field[], scale = 1): Map<number, number> {
  const boost: Partial<Record<Field, number>> = {}
  for (const f of fields) boost[f] = BOOST[f] * scale
  return index.terms.search(leaf.term, {
    boost,
    weights: WEIGHTS,
    prefix: leaf.prefix,
    fuzzy: fuzziness(leaf.term),
  })
}

/** Tracks by title, and through the albums and artists that match. */
function trackMatches(ix: Indexes, leaf: Leaf): Map<number, number> {
  const out = leaf.field === undefined || leaf.field === 'name' ? search(ix.track, leaf, ['name']) : new Map()
  const expand = (via: Field, index: KindIndex, members: Map<number, number[]>) => {
    if (leaf.field !== undefined && leaf.field !== via) return
    for (const [id, score] of search(index, leaf, ['name'], BOOST[via] / BOOST.name))
      for (const track of members.get(id) ?? []) out.set(track, (out.get(track) ?? 0) + score)
  }
  expand('album', ix.album, ix.track.byAlbum)
  expand('artist', ix.artist, ix.track.byArtist)
  if (leaf.field === undefined || leaf.field === 'genre')
    for (const [genre, tracks] of ix.track.byGenre) {
      const weight = genre === leaf.term ? 1 : leaf.prefix && genre.startsWith(leaf.term) ? WEIGHTS.prefix : 0
      if (weight > 0) for (const track of tracks) out.set(track, (out.get(track) ?? 0) + weight * BOOST.genre)
    }
  return out
}

function matches(ix: Indexes, kind: SearchKind, leaf: Leaf): Map<number, number> {
  if (kind === 'track') return trackMatches(ix, leaf)
  return search(ix[kind], leaf, leaf.field ? [leaf.field] : INDEXED[kind])
}

function combine(maps: Map<number, number>[], all: boolean): Map<number, number> {
  if (maps.length === 0) return new Map()
  const sorted = [...maps].sort((a, b) => a.size - b.size)
  if (all) {
    const [smallest, ...rest] = sorted as [Map<number, number>, ...Map<number, number>[]]
    const out = new Map<number, number>()
    for (const [id, score] of smallest) {
      let total = score
      let everywhere = true
      for (const m of rest) {
        const s = m.get(id)
        if (s === undefined) {
          everywhere = false
          break
        }
        total += s
      }
      if (everywhere) out.set(id, total)
    }
    return out
  }
  const out = new Map<number, number>()
  for (const m of maps) for (const [id, s] of m) out.set(id, (out.get(id) ?? 0) + s)
  return out
}

export interface RankContext {
  /** Popularity factor per item for the asking user. */
  boost: (id: number) => number
  /** The household's alone: one- and two-letter lists are shared by every user. */
  household: (id: number) => number
  /** Keeps a list until the index or the play counts change (`shared`: the same for every user). */
  cache: (key: string, shared: boolean, compute: () => number[]) => number[]
  /** The items filed by the prefixes of their terms, once filed after a change. */
  filed: () => Filed | undefined
  /** Whether `boost` is the asking user's own (else it is the household's). */
  personal: boolean
}

export function rank(ix: Indexes, kind: SearchKind, q: ParsedQuery, ctx: RankContext): number[] {
  const { boost } = ctx
  const index = ix[kind]
  if (q.nothing) return []
  if (q.everything) return index.byName().map((d) => d.id)

  const filterLeaves: Leaf[] = []
  const deferred: Leaf[] = []
  for (const [filter, terms] of Object.entries(q.filters) as [TextFilter, string[]][]) {
    const field = FILTER_FIELD[kind][filter]
    if (!field) return []
    // A track's genre is not in an index of its own: it is checked on the candidates.
    for (const term of terms)
      (kind === 'track' && field === 'genre' ? deferred : filterLeaves).push({ term, prefix: false, field })
  }

  const last = q.terms.length - 1
  const lookedUp: Leaf[] = []
  const common = commonFrom(index)
  q.terms.forEach((term, i) => {
    const leaf = { term, prefix: i === last }
    // A word being typed of up to four letters expands to many words: treated like a common one.
    const wide = leaf.prefix && term.length <= 4 && !isUnspaced(term)
    const cheap = !wide && index.frequency(term) <= common
    ;(cheap ? lookedUp : deferred).push(leaf)
  })

  /** A word's ranked list, kept until the index or the play counts change. */
  const listOf = (leaf: Leaf) =>
    isShort(leaf.term)
      ? ctx.cache(`short:${leaf.term}`, true, () =>
          wordList(index, leaf.term, true, ctx.household, ctx.filed(), true),
        )
      : ctx.cache(`word:${leaf.term}:${leaf.prefix}`, false, () =>
          wordList(index, leaf.term, leaf.prefix, boost, ctx.filed(), !ctx.personal),
        )

  if (lookedUp.length === 0 && filterLeaves.length === 0 && deferred.length > 0) {
    // Only common or short words: the rarest one's cached list, checked for the others.
    const byRarity = [...deferred].sort(
      (a, b) =>
        Number(isShort(a.term)) - Number(isShort(b.term)) ||
        index.frequency(a.term) - index.frequency(b.term),
    )
    const rarest = byRarity[0] as Leaf
    deferred.splice(deferred.indexOf(rarest), 1)
    const list = listOf(rarest)
    const filed = ctx.filed()
    // Only items filed under each other word's first letters are searched for it.
    const marks =
      filed && deferred.length > 0
        ? mayHoldAll(
            filed,
            deferred.map((d) => d.term),
          )
        : undefined
    const all = deferred.length
    const keep = keeper(deferred, q.years)
    const found =
      deferred.length === 0 && !q.years
        ? list
        : list.filter((id) => (!marks || marks[id] === all) && keep(index.docs.get(id)))
    // A short word being typed that nothing starts with may be a typo: look it up, fuzzily.
    if (found.length > 0 || isShort(rarest.term) || index.frequency(rarest.term) > common) return found
    lookedUp.push(rarest)
  }

  const keep = keeper(deferred, q.years)
  if (lookedUp.length === 0 && filterLeaves.length === 0)
    // Only a year range: every item of those years, in name order.
    return q.years ? index.ofYears(q.years.from, q.years.to) : []

  const termMaps = lookedUp.map((leaf) => matches(ix, kind, leaf))
  const filterMaps = filterLeaves.map((leaf) => matches(ix, kind, leaf))
  let found = combine([...termMaps, ...filterMaps], true)
  let kept = filterKept(found, index, keep)
  if (kept.size === 0 && q.terms.length > 1 && termMaps.length > 0) {
    // Nothing holds every word: what holds some of them, most words first (scores add up).
    found = combine([combine(termMaps, false), ...filterMaps], true)
    kept = filterKept(found, index, keeper([], q.years))
  }
  return ranked(kept, boost)
}

function filterKept(
  found: Map<number, number>,
  index: KindIndex,
  keep: (doc: IndexedDoc | undefined) => boolean,
): Map<number, number> {
  const out = new Map<number, number>()
  for (const [id, score] of found) if (keep(index.docs.get(id))) out.set(id, score)
  return out
}

/** Best first: match score lifted by popularity (a factor of at most 1.5). */
function ranked(found: Map<number, number>, boost: (id: number) => number): number[] {
  // Ids and scores side by side in typed arrays rather than an object per item: tens of
  // thousands of objects per common word were garbage the collector had to chase.
  const ids = new Float64Array(found.size)
  const scores = new Float64Array(found.size)
  let n = 0
  for (const [id, score] of found) {
    ids[n] = id
    scores[n++] = score * boost(id)
  }
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number),
  )
  return order.map((i) => ids[i] as number)
}
