import { describe, expect, it } from 'bun:test'
import type { SearchDoc } from './documents.ts'
import { createKindIndex } from './kind-index.ts'
import { phrases } from './test-support.ts'
import { fileItems, mayHold, wordList } from './word-lists.ts'

// The filed lists must give exactly what a pass over every item gives: same items, same order
// (where the word is held, then popularity, then name order), for every kind of word asked.

const WORDS = [
  'love',
  'lovely',
  'lover',
  'the',
  'then',
  'night',
  'ka',
  'karma',
  'a',
  'l',
  'ab',
  'über',
  '東京',
]

function catalog(n: number): SearchDoc[] {
  const { random, phrase } = phrases(7, WORDS)
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    name: phrase(4),
    sortKey: String(i),
    text: { name: phrase(4), album: phrase(3), artist: phrase(2), genre: random() < 0.3 ? 'rock' : 'pop' },
    folders: [1],
    year: null,
    artist: null,
    albumId: 1 + (i % 40),
    coverId: null,
    artistIds: [1 + (i % 25)],
  }))
}

const fail = (): never => {
  throw new Error('not filed')
}

describe('filed word lists', () => {
  it('match a pass over every item, for prefixes, whole words and either popularity', async () => {
    const docs = catalog(3000)
    // Names in an order unlike the ids, to tell name order from id order.
    const order = docs.map((d) => d.id).sort((a, b) => ((a * 7919) % 3001) - ((b * 7919) % 3001))
    const index = createKindIndex('track', () => order)
    index.addAll(docs)
    // Few distinct values, so ties fall back on name order.
    const household = (id: number) => 1 + ((id * 31) % 5) / 10
    const own = (id: number) => 1 + ((id * 17) % 3) / 10
    const filed = await fileItems(
      index,
      household,
      async () => {},
      () => false,
    )
    expect(filed).not.toBeNull()
    const terms = [
      'l',
      'lo',
      'lov',
      'love',
      'lovel',
      'th',
      'the',
      'then',
      'k',
      'ka',
      'kar',
      'a',
      'ab',
      'ü',
      'üb',
      'übe',
      'über',
      '東',
      '東京',
      'zz',
      'zzz',
      'rock',
      'ro',
    ]
    let compared = 0
    for (const term of terms)
      for (const prefix of [true, false]) {
        const expected = wordList(index, term, prefix, household)
        expect(wordList(index, term, prefix, household, filed ?? undefined, true)).toEqual(expected)
        expect(wordList(index, term, prefix, own, filed ?? undefined, false)).toEqual(
          wordList(index, term, prefix, own),
        )
        compared += expected.length
        // The marks that spare substring searches leave out no holder.
        const marks = mayHold(index, filed ?? fail(), term)
        expect(expected.filter((id) => marks[id] !== 1)).toEqual([])
      }
    // The words are common: the lists compared are long, not empty.
    expect(compared).toBeGreaterThan(10_000)
  })

  it('gives up filing when the index changes meanwhile', async () => {
    const index = createKindIndex('track', () => catalog(25_000).map((d) => d.id))
    index.addAll(catalog(25_000))
    const made = await fileItems(
      index,
      () => 1,
      async () => {},
      () => true,
    )
    expect(made).toBeNull()
  })
})
