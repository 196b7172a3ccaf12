// Where the search index's memory goes, per structure: each part is built, then dropped, and
// what the drop frees is its size (heap after full collections from a fresh task, so garbage the
// conservative stack scan keeps alive is not counted). A breakdown to read when the totals in
// search.bench.ts move, not a benchmark: `bun scripts/bench/search-memory.ts`.
import { openDatabase } from '../../src/db/index.ts'
import { loadNameOrder, SEARCH_KINDS } from '../../src/search/documents.ts'
import { createKindIndex } from '../../src/search/kind-index.ts'
import { loadAll } from '../../src/search/load-all.ts'
import { createPopularity } from '../../src/search/popularity.ts'
import { commonFrom } from '../../src/search/rank.ts'
import { fileItems, wordList } from '../../src/search/word-lists.ts'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { createCatalog } from './search-catalog.ts'

const heap = async () => {
  await new Promise((resolve) => setTimeout(resolve, 0))
  Bun.gc(true)
  Bun.gc(true)
  return process.memoryUsage().heapUsed
}
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`
const dir = tempDir('tonearm-search-mem-')
await createCatalog(dir)
const sqlite = await openDatabase(dir)
const { db } = sqlite
const held: Record<string, unknown> = {}
const rows: [string, number][] = []
/** Keeps what `make` returns under `name`, and records what dropping it frees. */
async function part(name: string, make: () => unknown | Promise<unknown>) {
  held[name] = await make()
  const withIt = await heap()
  delete held[name]
  const without = await heap()
  rows.push([name, withIt - without])
  held[name] = await make()
}
await part('popularity', () => createPopularity(db))
const pop = held.popularity as ReturnType<typeof createPopularity>
for (const kind of SEARCH_KINDS) {
  const build = () => {
    const index = createKindIndex(kind, () => loadNameOrder(db, kind))
    index.addAll(loadAll(db)[kind])
    index.settle()
    index.byName()
    return index
  }
  await part(`${kind}: whole kind index`, build)
  const index = held[`${kind}: whole kind index`] as ReturnType<typeof build>
  const filed = await fileItems(
    index,
    pop.booster(kind),
    async () => {},
    () => false,
  )
  await part(`${kind}: filed lists`, () =>
    fileItems(
      index,
      pop.booster(kind),
      async () => {},
      () => false,
    ),
  )
  await part(`${kind}: one-letter lists`, () =>
    [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((t) =>
      wordList(index, t, true, pop.booster(kind), filed ?? undefined, true),
    ),
  )
  await part(`${kind}: common-word lists`, () =>
    index
      .termsAbove(commonFrom(index))
      .flatMap((t) =>
        [true, false].map((p) => wordList(index, t, p, pop.booster(kind), filed ?? undefined, true)),
      ),
  )
}
rows.push(['total', rows.reduce((n, [, bytes]) => n + bytes, 0)])
for (const [name, bytes] of rows) console.log(`${name.padEnd(34)} ${mb(bytes).padStart(9)}`)
sqlite.close()
removeDir(dir)
