// The search domain: an in-process MiniSearch index over the catalog's artists, albums and
// tracks, built at start and kept current from the catalog's change events. See README.md.
export { SEARCH_KINDS, type SearchKind } from './documents.ts'
export { createPlaylistSearch, type PlaylistSearch } from './playlists.ts'
export { MAX_QUERY_CHARS } from './query.ts'
export {
  createSearch,
  DEFAULT_SUGGESTIONS,
  type FindOptions,
  MAX_SUGGESTIONS,
  type Search,
  type SearchDeps,
  type SearchStats,
  type Suggestion,
  type TrackChanges,
} from './search.ts'
