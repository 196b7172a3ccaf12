import type { Db } from '../platform/sqlite.ts'
import { annotationCalls } from './annotations.ts'
import { bookmarkCalls } from './bookmarks.ts'
import type { ItemRef, Starred, Summaries, Viewer } from './types.ts'

export interface LibraryDeps {
  db: Db
  /** The catalog's bulk lookups (trackSummaries, albumSummaries, artistSummaries). */
  summaries: Summaries
  now?: () => number
  /**
   * Told of track stars and ratings once stored. The listening log is what recommendations learn
   * from; this way it sees what every client marks (web, scripts, Subsonic apps), not only the web.
   */
  onTrackFeedback?: (userId: number, feedback: TrackFeedback[]) => void
}

export type TrackFeedback = { trackId: number; liked: boolean } | { trackId: number; rating: number }

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

  const tell = (viewer: Viewer, feedback: TrackFeedback[]) => {
    if (feedback.length > 0) deps.onTrackFeedback?.(viewer.userId, feedback)
  }
  const trackIds = (items: readonly ItemRef[]) => [
    ...new Set(items.filter((i) => i.kind === 'track').map((i) => i.id)),
  ]

  return {
    star(viewer: Viewer, items: readonly ItemRef[]): void {
      annotations.star(viewer, items)
      tell(
        viewer,
        trackIds(items).map((trackId) => ({ trackId, liked: true })),
      )
    },
    unstar(viewer: Viewer, items: readonly ItemRef[]): void {
      annotations.unstar(viewer, items)
      tell(
        viewer,
        trackIds(items).map((trackId) => ({ trackId, liked: false })),
      )
    },
    setRating(viewer: Viewer, item: ItemRef, rating: number): void {
      annotations.setRating(viewer, item, rating)
      if (item.kind === 'track') tell(viewer, [{ trackId: item.id, rating }])
    },
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
