// Library: what each user attaches to the catalog — stars (tracks, albums, artists, with their
// time), ratings 1–5, and bookmarks (a position in a track). Reads are filtered by the user's
// folder grants; `annotations()` gives a page of ids their star and rating in one query.
export { createLibrary, type Library, type LibraryDeps, type TrackFeedback } from './library.ts'
export {
  type Annotation,
  BOOKMARK_COMMENT_MAX,
  type Bookmark,
  ITEM_KINDS,
  type ItemKind,
  type ItemRef,
  type Starred,
  type Summaries,
  type Viewer as LibraryViewer,
} from './types.ts'
