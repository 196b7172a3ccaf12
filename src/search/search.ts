import type { Registry } from 'prom-client'
import { busy, invalid } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import type { Db } from '../platform/sqlite.ts'
import { loadDocs, loadNameOrder, SEARCH_KINDS, type SearchDoc, type SearchKind } from './documents.ts'
import { createKindIndex, type IndexedDoc, type KindIndex } from './kind-index.ts'
import { loadAll } from './load-all.ts'
import { searchMetrics } from './metrics.ts'
import { createPopularity } from './popularity.ts'
import { type ParsedQuery, parseQuery } from './query.ts'
import { commonFrom, type Indexes, rank } from './rank.ts'
import { mix, type Suggestion } from './suggest.ts'
import { type Filed, fileItems, wordList } from './word-lists.ts'

/** What a scan changed, as the catalog announces it (`tracks.changed`). */
export interface TrackChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

export interface SearchDeps {
  db: Db
  /** The catalog's events; the index follows every `tracks.changed` without a rebuild. */
  changes?: { on(event: 'tracks.changed', listener: (c: TrackChanges) => void): () => void }
  logger?: Logger
  status?: StatusBoard
  /** How often the household play counts are re-read for ranking (default one minute). */
  popularityRefreshMs?: number
  /** Where index size, build progress and query latency are published. */
  registry?: Registry
  /** Ranked results kept for repeated queries and paging (default 64; 0 keeps none, as the benchmark measures). */
  cacheSize?: number
}

export interface FindOptions {
  offset: number
  limit: number
  /** Only items in these music folders (the user's grants); all folders when absent. */
  folderIds?: readonly number[]
  /** Whose listening lifts results. */
  userId?: number
}

export type { Suggestion } from './suggest.ts'

export interface SearchStats {
  state: 'idle' | 'building' | 'ready'
  documents: Record<SearchKind, number>
  terms: number
  buildMs: number | null
  /** Heap growth across the start-up build: the index's size, roughly (other work runs meanwhile). */
  heapBytes: number | null
}

const CHUNK = 5000
export const DEFAULT_SUGGESTIONS = 8
export const MAX_SUGGESTIONS = 50

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

function visibleTo(folderIds: readonly number[] | undefined) {
  if (!folderIds) return () => true
  const granted = new Set(folderIds)
  return (doc: IndexedDoc | undefined) => doc?.folders.some((f) => granted.has(f)) ?? false
}

export function createSearch(deps: SearchDeps) {
  const { db } = deps
  const order = (kind: SearchKind) => () => loadNameOrder(db, kind)
  const indexes: Indexes = {
    artist: createKindIndex('artist', order('artist')),
    album: createKindIndex('album', order('album')),
    track: createKindIndex('track', order('track')),
  }
  const popularity = createPopularity(db)
  let state: SearchStats['state'] = 'idle'
  let buildMs: number | null = null
  let heapBytes: number | null = null
  let progress = 0
  let queued: TrackChanges[] = []
  let timer: ReturnType<typeof setInterval> | undefined
  let unsubscribe: (() => void) | undefined
  // Ranked ids per query (Subsonic clients page through one query many times), and the lists
  // for lone one- and two-letter words (a handful of keys, each a pass over every item to build);
  // both are dropped when the index or the play counts change.
  const cacheSize = deps.cacheSize ?? 64
  // Bounded too: a script asking for many different common words must not grow it without end,
  // and one list of a one-letter word can hold most of the catalog.
  const SHARED_LISTS = cacheSize * 2
  const results = new Map<string, number[]>()
  const shortLists = new Map<string, number[]>()
  // Items filed by the prefixes of their terms, made in the background (see warm).
  const filed = new Map<SearchKind, Filed>()
  let cacheStamp = ''
  const stamp = () => `${SEARCH_KINDS.map((k) => indexes[k].generation()).join('.')}:${popularity.version()}`

  function fresh(): void {
    const now = stamp()
    if (now !== cacheStamp) {
      results.clear()
      shortLists.clear()
      filed.clear()
      cacheStamp = now
    }
  }

  function cached(
    cache: Map<string, number[]>,
    size: number,
    key: string,
    compute: () => number[],
  ): number[] {
    fresh()
    let hit = cache.get(key)
    if (!hit) {
      hit = compute()
      if (size === 0) return hit
      if (cache.size >= size) cache.delete(cache.keys().next().value as string)
      cache.set(key, hit)
    }
    return hit
  }

  function ranked(kind: SearchKind, q: ParsedQuery, raw: string, userId: number | undefined): number[] {
    const user = userId ?? ''
    return cached(results, cacheSize, `${kind}\u0000${user}\u0000${raw}`, () =>
      rank(indexes, kind, q, {
        boost: popularity.booster(kind, userId),
        household: popularity.booster(kind),
        // Lists all users share are kept until the index or play counts change; one user's, among the bounded results.
        cache: (key, shared, compute) =>
          shared || userId === undefined
            ? cached(shortLists, SHARED_LISTS, `${kind}\u0000${key}`, compute)
            : cached(results, cacheSize, `${kind}\u0000${user}\u0000${key}`, compute),
        filed: () => {
          fresh()
          return filed.get(kind)
        },
        personal: userId !== undefined,
      }),
    )
  }

  // Every item is filed by the prefixes of its terms in the background once the index is ready,
  // and again a second after changes stop, so the first person to type "a" does not pay a pass
  // over 100k items. Until then lists are made by that pass.
  const WARM_TERMS = [...'abcdefghijklmnopqrstuvwxyz0123456789']
  let warming: Promise<void> = Promise.resolve()
  let warmTimer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  async function warm(): Promise<void> {
    for (const kind of SEARCH_KINDS) {
      if (stopped) return
      fresh()
      const at = stamp()
      const made = await fileItems(
        indexes[kind],
        popularity.booster(kind),
        yieldToLoop,
        () => stopped || stamp() !== at,
      )
      fresh()
      if (made && stamp() === at) filed.set(kind, made)
      await yieldToLoop()
    }
    // A first keystroke's list is tens of thousands of ids: made now, not while someone waits.
    for (const kind of SEARCH_KINDS) {
      const index = indexes[kind]
      const household = popularity.booster(kind)
      for (const term of WARM_TERMS) {
        if (stopped) return
        cached(shortLists, Number.POSITIVE_INFINITY, `${kind}\u0000short:${term}`, () =>
          wordList(index, term, true, household, filed.get(kind), true),
        )
      }
      // …and so are the lists of the commonest words, whole or being typed ("night" filtered its filed list).
      for (const term of index.termsAbove(commonFrom(index))) {
        if (stopped) return
        for (const prefix of [true, false])
          cached(shortLists, Number.POSITIVE_INFINITY, `${kind}\u0000word:${term}:${prefix}`, () =>
            wordList(index, term, prefix, household, filed.get(kind), true),
          )
      }
      await yieldToLoop()
    }
  }

  function warmSoon(delayMs: number): void {
    if (warmTimer) clearTimeout(warmTimer)
    warmTimer = setTimeout(() => {
      warming = warming.then(warm)
    }, delayMs)
    warmTimer.unref?.()
  }

  function put(index: KindIndex, docs: SearchDoc[], wanted: Iterable<number>): IndexedDoc[] {
    const olds: IndexedDoc[] = []
    const present = new Set(docs.map((d) => d.id))
    for (const doc of docs) {
      const old = index.put(doc)
      if (old) olds.push(old)
    }
    for (const id of wanted) {
      if (present.has(id)) continue
      const old = index.remove(id)
      if (old) olds.push(old)
    }
    return olds
  }

  function apply(c: TrackChanges): void {
    const albums = new Set<number>()
    const artists = new Set<number>()
    const touch = (d: IndexedDoc | SearchDoc) => {
      if (d.albumId !== null) albums.add(d.albumId)
      for (const a of d.artistIds) artists.add(a)
    }
    const changed = [...new Set([...c.added, ...c.updated, ...c.removed])]
    const fresh = chunked(changed, (ids) => loadDocs(db, 'track', ids))
    for (const d of [...fresh, ...put(indexes.track, fresh, changed)]) touch(d)
    const albumDocs = chunked([...albums], (ids) => loadDocs(db, 'album', ids))
    for (const d of [...albumDocs, ...put(indexes.album, albumDocs, albums)]) touch(d)
    const artistDocs = chunked([...artists], (ids) => loadDocs(db, 'artist', ids))
    put(indexes.artist, artistDocs, artists)
  }

  function onChanges(c: TrackChanges): void {
    if (state !== 'ready') {
      queued.push(c)
      return
    }
    try {
      apply(c)
      reportReady()
      warmSoon(1000)
    } catch (err) {
      deps.logger?.error({ err }, 'search: applying catalog changes failed')
    }
  }

  async function build(): Promise<void> {
    state = 'building'
    const t0 = performance.now()
    const heap0 = process.memoryUsage().heapUsed
    const all = loadAll(db)
    const loaded = SEARCH_KINDS.map((k) => [k, all[k]] as const)
    const total = loaded.reduce((n, [, docs]) => n + docs.length, 0)
    let done = 0
    for (const [kind, docs] of loaded) {
      for (let i = 0; i < docs.length; i += CHUNK) {
        indexes[kind].addAll(docs.slice(i, i + CHUNK))
        done += Math.min(CHUNK, docs.length - i)
        progress = done / total
        deps.status?.set('search', { status: 'working', task: 'indexing', done, total })
        await yieldToLoop()
      }
      indexes[kind].settle()
    }
    buildMs = performance.now() - t0
    heapBytes = Math.max(0, process.memoryUsage().heapUsed - heap0)
    progress = 1
    state = 'ready'
    // What the scanner changed meanwhile is applied now (each change is idempotent).
    const pending = queued
    queued = []
    for (const c of pending) onChanges(c)
    reportReady()
    warming = warm()
    deps.logger?.info({ documents: documents(), ms: Math.round(buildMs) }, 'search index built')
  }

  const reportReady = () =>
    deps.status?.set('search', { status: 'ok', documents: documents(), buildMs: Math.round(buildMs ?? 0) })

  const documents = () =>
    Object.fromEntries(SEARCH_KINDS.map((k) => [k, indexes[k].docs.size])) as Record<SearchKind, number>

  function checkReady(): void {
    if (state !== 'ready') throw busy('the search index is still being built; try again in a moment', 1)
  }

  function timed<T>(op: 'find' | 'suggest', fn: () => T): T {
    const t0 = performance.now()
    try {
      return fn()
    } finally {
      observe?.(op, (performance.now() - t0) / 1000)
    }
  }

  const stats = (): SearchStats => ({
    state,
    documents: documents(),
    terms: SEARCH_KINDS.reduce((n, k) => n + indexes[k].termCount(), 0),
    buildMs,
    heapBytes,
  })
  let observe: ReturnType<typeof searchMetrics> | undefined
  const publish = (registry: Registry) => {
    observe = searchMetrics(registry, () => ({ ...stats(), progress }))
  }
  if (deps.registry) publish(deps.registry)

  return {
    /** Builds the index from the catalog (yielding between chunks) and starts following changes. */
    async start(): Promise<void> {
      if (state !== 'idle') return
      unsubscribe = deps.changes?.on('tracks.changed', onChanges)
      deps.status?.set('search', { status: 'starting' })
      try {
        await build()
      } catch (err) {
        state = 'idle'
        deps.status?.set('search', { status: 'failed', reason: (err as Error).message })
        throw err
      }
      const every = deps.popularityRefreshMs ?? 60_000
      timer = setInterval(() => {
        const version = popularity.version()
        popularity.refresh()
        // New play counts reorder the filed buckets: file them again.
        if (popularity.version() !== version) warmSoon(0)
      }, every)
      timer.unref?.()
    },
    stop(): void {
      stopped = true
      if (warmTimer) clearTimeout(warmTimer)
      unsubscribe?.()
      if (timer) clearInterval(timer)
    },
    ready: () => state === 'ready',
    /** Resolves when the lists for first keystrokes are made (after start, or after the last change). */
    warmed: () => warming,
    stats,
    /** Publishes index size, build progress and query latency in this registry (/metrics). */
    publish,
    /** Re-reads the play counts now (the timer does it every minute). */
    refreshPopularity: () => popularity.refresh(),

    /**
     * Ranked ids of one kind. A blank `q` gives every item in name order (Subsonic's search3
     * with "" pages through the library this way).
     */
    find(kind: SearchKind, q: string, opts: FindOptions): { ids: number[]; total: number } {
      return timed('find', () => {
        checkReady()
        if (!Number.isInteger(opts.offset) || opts.offset < 0)
          throw invalid('offset: must be a whole number, at least 0', { field: 'offset' })
        if (!Number.isInteger(opts.limit) || opts.limit < 0)
          throw invalid('limit: must be a whole number, at least 0', { field: 'limit' })
        const all = ranked(kind, parseQuery(q), q, opts.userId)
        const visible = visibleTo(opts.folderIds)
        const docs = indexes[kind].docs
        const kept = opts.folderIds ? all.filter((id) => visible(docs.get(id))) : all
        return { ids: kept.slice(opts.offset, opts.offset + opts.limit), total: kept.length }
      })
    },

    /** A handful of artists, albums and tracks mixed in the order a person expects. */
    suggest(
      q: string,
      opts: { limit?: number; folderIds?: readonly number[]; userId?: number } = {},
    ): Suggestion[] {
      return timed('suggest', () => {
        checkReady()
        const limit = opts.limit ?? DEFAULT_SUGGESTIONS
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS)
          throw invalid(`limit: must be a whole number from 1 to ${MAX_SUGGESTIONS}`, { field: 'limit' })
        const parsed = parseQuery(q)
        if (parsed.everything || parsed.nothing) return []
        const visible = visibleTo(opts.folderIds)
        const best = function* (kind: SearchKind) {
          const docs = indexes[kind].docs
          for (const id of ranked(kind, parsed, q, opts.userId)) {
            const doc = docs.get(id)
            if (doc && visible(doc)) yield doc
          }
        }
        return mix(db, best, parsed.terms, limit)
      })
    },
  }
}

export type Search = ReturnType<typeof createSearch>

/** Loads in slices: SQLite caps the number of bound values in one statement. */
function chunked<T>(ids: readonly number[], load: (ids: number[]) => T[]): T[] {
  const out: T[] = []
  for (let i = 0; i < ids.length; i += 500) out.push(...load(ids.slice(i, i + 500)))
  return out
}
