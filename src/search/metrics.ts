import { Gauge, Histogram, type Registry } from 'prom-client'
import { SEARCH_KINDS } from './documents.ts'
import type { SearchStats } from './search.ts'

// Search figures for /metrics: index size and build progress read when Prometheus scrapes,
// query latency observed as queries run.

export function searchMetrics(registry: Registry, stats: () => SearchStats & { progress: number }) {
  new Gauge({
    name: 'tonearm_search_documents',
    help: 'Items in the search index, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const { documents } = stats()
      for (const kind of SEARCH_KINDS) this.set({ kind }, documents[kind])
    },
  })
  new Gauge({
    name: 'tonearm_search_terms',
    help: 'Distinct terms in the search index (all kinds)',
    registers: [registry],
    collect() {
      this.set(stats().terms)
    },
  })
  new Gauge({
    name: 'tonearm_search_index_build_progress',
    help: 'Share of the catalog indexed by the start-up build (1 when ready)',
    registers: [registry],
    collect() {
      this.set(stats().progress)
    },
  })
  new Gauge({
    name: 'tonearm_search_index_build_seconds',
    help: 'Duration of the start-up build of the search index',
    registers: [registry],
    collect() {
      this.set((stats().buildMs ?? 0) / 1000)
    },
  })
  new Gauge({
    name: 'tonearm_search_index_heap_bytes',
    help: 'Heap growth across the start-up build: an estimate of the index size',
    registers: [registry],
    collect() {
      this.set(stats().heapBytes ?? 0)
    },
  })
  const latency = new Histogram({
    name: 'tonearm_search_query_duration_seconds',
    help: 'Time to answer a search (find) or a suggestion, in the domain',
    labelNames: ['op'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [registry],
  })
  return (op: 'find' | 'suggest', seconds: number) => latency.observe({ op }, seconds)
}
