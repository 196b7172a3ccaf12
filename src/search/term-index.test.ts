import { describe, expect, it } from 'bun:test'
import MiniSearch from 'minisearch'
import { createTermIndex } from './term-index.ts'
import { phrases } from './test-support.ts'
import { indexTerms } from './text.ts'

// The term index must score exactly as MiniSearch does on the same items, so that replacing
// MiniSearch's document store changed no ranking: both are fed the same terms, queried the same
// way (exact, prefix, one edit; several fields with their boosts), also after removals.

const WORDS = `love lovely lover loves night nights knight the then there heart hearts heat
  blue blues karma karmas beatles beatle beetles rage machine machines rem acdc über uber 東京 京都`.split(
  /\s+/,
)

type Doc = { id: number; name: string; artist: string; genre: string }

function catalog(n: number): Doc[] {
  const { random, phrase } = phrases(11, WORDS)
  return Array.from({ length: n }, (_, i) => ({
    id: 1 + i * 3,
    name: phrase(5),
    artist: phrase(2),
    genre: random() < 0.5 ? 'rock' : 'pop rock',
  }))
}

const FIELDS = ['name', 'artist', 'genre'] as const
const WEIGHTS = { prefix: 0.5, fuzzy: 0.2 }
const BOOSTS: Record<string, number>[] = [{ name: 3 }, { name: 3, artist: 1.2, genre: 0.5 }]

function both(docs: Doc[]) {
  const mini = new MiniSearch<Doc>({
    fields: [...FIELDS],
    tokenize: (text) => indexTerms(text),
    processTerm: (t) => t,
    searchOptions: { tokenize: (t) => [t], processTerm: (t) => t },
  })
  const terms = createTermIndex(FIELDS)
  mini.addAll(docs)
  for (const d of docs) terms.add(d.id, [indexTerms(d.name), indexTerms(d.artist), indexTerms(d.genre)])
  return { mini, terms }
}

function expectSameScores(
  mini: MiniSearch<Doc>,
  terms: ReturnType<typeof createTermIndex<(typeof FIELDS)[number]>>,
) {
  let compared = 0
  for (const term of [
    'love',
    'lov',
    'lo',
    'nigt',
    'the',
    'heart',
    'beatls',
    'rock',
    'po',
    '東京',
    'zzz',
    'uber',
  ])
    for (const prefix of [false, true])
      for (const boost of BOOSTS) {
        const options = { boost, weights: WEIGHTS, prefix, fuzzy: term.length >= 4 ? 1 : (false as const) }
        const expected = new Map(
          mini.search(term, { ...options, fields: Object.keys(boost) }).map((r) => [r.id as number, r.score]),
        )
        const got = terms.search(term, options)
        expect([...got.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b))
        for (const [id, score] of expected) expect(got.get(id)).toBeCloseTo(score, 9)
        compared += expected.size
      }
  return compared
}

describe('the term index', () => {
  it('scores as MiniSearch does: exact, prefix and typo matches over several fields', () => {
    const docs = catalog(2000)
    const { mini, terms } = both(docs)
    expect(expectSameScores(mini, terms)).toBeGreaterThan(20_000)
    expect(terms.size()).toBe(mini.termCount)
  })

  it('still does after items are removed', () => {
    const docs = catalog(2000)
    const { mini, terms } = both(docs)
    for (const d of docs.filter((_, i) => i % 3 === 0)) {
      mini.remove(d)
      terms.remove(d.id, [...indexTerms(d.genre), ...indexTerms(d.name), ...indexTerms(d.artist)])
    }
    expect(expectSameScores(mini, terms)).toBeGreaterThan(10_000)
    expect(terms.size()).toBe(mini.termCount)
    for (const d of docs.filter((_, i) => i % 3 !== 0)) {
      mini.remove(d)
      terms.remove(d.id, [...indexTerms(d.name), ...indexTerms(d.artist), ...indexTerms(d.genre)])
    }
    expect(terms.size()).toBe(0)
    expect(terms.search('love', { boost: { name: 1 }, weights: WEIGHTS, prefix: true, fuzzy: 1 }).size).toBe(
      0,
    )
  })
})
