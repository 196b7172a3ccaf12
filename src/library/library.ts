import type { Db } from '../platform/sqlite.ts'
import { annotationCalls } from './annotations.ts'
import { bookmarkCalls } from './bookmarks.ts'
import type { Starred, Summaries, Viewer } from './types.ts'

export interface LibraryDeps {
  db: Db
  /** The catalog's bulk lookups (trackSummaries, albumSummaries, artistSummaries). */
  summaries: Summaries
  now?: () => number
}

/** Per-user annotations: stars, ratings and bookmarks, always within the viewer's folder grants. */
export function createLibrary(deps: LibraryDeps) {
  const now = deps.now ?? Date.now
  const annotations = annotationCalls(deps.db, deps.summaries, now)
  const { starredIds } = annotations

  /** Starred items of one kind the viewer may still see, newest star first, with the star's time. */
  function starredOf<T>(
    viewer: Viewer,
    kind: 'track' | 'album' | 'artist',
    lookup: (ids: readonly number[], folderIds: readonly number[]) => Map<number, T>,
  ): (T & { starredAt: string })[] {
    const stars = starredIds(viewer.userId, kind)
    const found = lookup(
      stars.map((s) => s.id),
      viewer.folderIds,
    )
    return stars.flatMap((s) => {
      const item = found.get(s.id)
      return item ? [{ ...item, starredAt: new Date(s.starredAt).toISOString() }] : []
    })
  }

  return {
    star: annotations.star,
    unstar: annotations.unstar,
    setRating: annotations.setRating,
    annotations: annotations.annotations,
    /** Ids the user rated, highest first (Subsonic's "highest" album list); filter by grants when showing. */
    ratedIds: annotations.ratedIds,
    /** Everything the viewer starred and may see, grouped by kind, newest star first. */
    starred(viewer: Viewer): Starred {
      return {
        tracks: starredOf(viewer, 'track', deps.summaries.tracks),
        albums: starredOf(viewer, 'album', deps.summaries.albums),
        artists: starredOf(viewer, 'artist', deps.summaries.artists),
      }
    },
    ...bookmarkCalls(deps.db, deps.summaries, now),
  }
}

export type Library = ReturnType<typeof createLibrary>
