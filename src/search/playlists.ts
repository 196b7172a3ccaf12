import { sql } from 'drizzle-orm'
import MiniSearch from 'minisearch'
import type { Db } from '../platform/sqlite.ts'
import { indexTerms, queryTerms } from './text.ts'

// Playlists in search: names, comments and owners, with the same folding as the catalog's terms
// ("beyonce" finds "Beyoncé's mix"). A household has tens or hundreds of playlists, so MiniSearch
// as it comes answers in well under a millisecond; the catalog's latency plan is not needed here.
// Who may see one is the playlists domain's rule: your own, and everyone's public ones.

interface PlaylistDoc {
  id: number
  name: string
  comment: string
  owner: string
  ownerId: number
  public: boolean
}

interface Row {
  id: number
  name: string
  comment: string
  owner: string
  owner_id: number
  public: number
}

const READ = sql`SELECT p.id, p.name, p.comment, u.username AS owner, p.owner_id, p.public
  FROM playlists p JOIN users u ON u.id = p.owner_id`

const toDoc = (r: Row): PlaylistDoc => ({
  id: r.id,
  name: r.name,
  comment: r.comment,
  owner: r.owner,
  ownerId: r.owner_id,
  public: r.public === 1,
})

export function createPlaylistSearch(db: Db) {
  const docs = new Map<number, PlaylistDoc>()
  const index = new MiniSearch<PlaylistDoc>({
    fields: ['name', 'comment', 'owner'],
    tokenize: (text, field) => (field ? indexTerms(text) : queryTerms(text)),
    processTerm: (term) => term,
    searchOptions: {
      boost: { name: 3, owner: 1.5 },
      combineWith: 'AND',
      // The catalog's rules: the word being typed is a prefix, and a typo is forgiven from four letters.
      prefix: true,
      fuzzy: (term) => (term.length >= 4 ? 1 : 0),
    },
  })

  function put(doc: PlaylistDoc): void {
    if (docs.has(doc.id)) index.discard(doc.id)
    docs.set(doc.id, doc)
    index.add(doc)
  }

  const visible = (userId: number | undefined) => (doc: PlaylistDoc | undefined) =>
    doc !== undefined && (doc.public || doc.ownerId === userId)

  return {
    /** Reads every playlist (at start). */
    load(): void {
      index.removeAll()
      docs.clear()
      for (const r of db.all<Row>(READ)) put(toDoc(r))
    },
    /** Re-reads one playlist after the playlists domain changed it (gone: dropped). */
    changed(id: number): void {
      const row = db.all<Row>(sql`${READ} WHERE p.id = ${id}`)[0]
      if (row) put(toDoc(row))
      else if (docs.delete(id)) index.discard(id)
    },
    /** Best first; a blank query lists every visible playlist by name. */
    find(
      text: string,
      opts: { offset: number; limit: number; userId?: number },
    ): { ids: number[]; total: number } {
      const see = visible(opts.userId)
      const ids =
        text.trim() === ''
          ? [...docs.values()]
              .filter(see)
              .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
              .map((d) => d.id)
          : index
              .search(text)
              .map((r) => r.id as number)
              .filter((id) => see(docs.get(id)))
      return { ids: ids.slice(opts.offset, opts.offset + opts.limit), total: ids.length }
    },
    size: () => docs.size,
  }
}

export type PlaylistSearch = ReturnType<typeof createPlaylistSearch>
