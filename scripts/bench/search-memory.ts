// Where the search index's memory and build time go, per structure (not a benchmark with a
// reference: a breakdown to read when the totals in search.bench.ts move).
import { openDatabase } from '../../src/db/index.ts'
import { loadDocs, loadNameOrder, SEARCH_KINDS } from '../../src/search/documents.ts'
import { createKindIndex } from '../../src/search/kind-index.ts'
import { createPopularity } from '../../src/search/popularity.ts'
import { fileItems, wordList } from '../../src/search/word-lists.ts'
import { commonFrom } from '../../src/search/rank.ts'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { createCatalog } from './search-catalog.ts'

const heap = () => {
  Bun.gc(true)
  return process.memoryUsage().heapUsed
}
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`
const dir = tempDir('tonearm-search-mem-')
await createCatalog(dir)
const sqlite = await openDatabase(dir)
const db = sqlite.db
const keep: unknown[] = []
let h = heap()
const step = (label: string, t0?: number) => {
  const now = heap()
  console.log(`${label.padEnd(40)} ${mb(now - h).padStart(10)}${t0 === undefined ? '' : `  ${(performance.now() - t0).toFixed(0)} ms`}`)
  h = now
}
const pop = createPopularity(db)
keep.push(pop)
step('popularity')
for (const kind of SEARCH_KINDS) {
  let t0 = performance.now()
  const docs = loadDocs(db, kind)
  step(`${kind}: loaded docs (transient)`, t0)
  const index = createKindIndex(kind, () => loadNameOrder(db, kind))
  t0 = performance.now()
  for (let i = 0; i < docs.length; i += 5000) index.addAll(docs.slice(i, i + 5000))
  index.settle()
  const built = performance.now() - t0
  docs.length = 0
  step(`${kind}: whole kind index`, t0 - built + built)
  console.log(`  build ${built.toFixed(0)} ms`)
  keep.push(index)
  t0 = performance.now()
  index.byName()
  step(`${kind}: name order`, t0)
  t0 = performance.now()
  const filed = await fileItems(index, pop.booster(kind), async () => {}, () => false)
  keep.push(filed)
  step(`${kind}: filed lists`, t0)
  const household = pop.booster(kind)
  const lists: number[][] = []
  t0 = performance.now()
  for (const term of 'abcdefghijklmnopqrstuvwxyz0123456789')
    lists.push(wordList(index, term, true, household, filed ?? undefined, true))
  keep.push(lists)
  step(`${kind}: one-letter lists`, t0)
  const common: number[][] = []
  t0 = performance.now()
  const terms = index.termsAbove(commonFrom(index))
  for (const term of terms)
    for (const prefix of [true, false]) common.push(wordList(index, term, prefix, household, filed ?? undefined, true))
  keep.push(common)
  step(`${kind}: common word lists (${terms.length} terms)`, t0)
  // Now take apart the index to see its parts.
  const before = heap()
  const partsBefore = before
  let last = before
  const drop = (label: string, f: () => void) => {
    f()
    const now = heap()
    console.log(`  part ${label.padEnd(30)} ${mb(last - now).padStart(10)}`)
    last = now
  }
  drop('byAlbum/byArtist/byGenre', () => { index.byAlbum.clear(); index.byArtist.clear(); index.byGenre.clear() })
  drop('minisearch', () => index.mini.removeAll())
  drop('docs (haystacks etc)', () => index.docs.clear())
  void partsBefore
}
console.log(`total kept ${keep.length}`)
sqlite.close()
removeDir(dir)
