import type { AlbumSummary, ArtistSummary, Song } from '../../catalog/index.ts'
import type { Call } from './context.ts'
import type { Node } from './encode.ts'
import { type Annotation, albumChild, albumID3, artistID3, child } from './models.ts'

// What the user attached to the items of an answer, fetched once per answer: plays and the last
// play (from the listening events), stars and ratings (from the library domain).

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : undefined)

function annotations(call: Call, kind: 'track' | 'album' | 'artist', ids: number[]): Map<number, Annotation> {
  const out = new Map<number, Annotation>()
  const { userId } = call.principal
  const plays = kind === 'artist' ? undefined : call.deps.events?.stats.playsOf(kind, ids.map(String), userId)
  const marks = call.deps.library?.annotations(userId, kind, ids)
  for (const id of ids) {
    const p = plays?.get(String(id))
    const m = marks?.get(id)
    out.set(id, {
      playCount: kind === 'artist' ? undefined : (p?.plays ?? 0),
      played: iso(p?.lastPlayedAt),
      starred: m?.starred,
      userRating: m?.userRating,
    })
  }
  return out
}

export function songs(call: Call, list: Song[]): Node[] {
  const a = annotations(
    call,
    'track',
    list.map((s) => s.id),
  )
  return list.map((s) => child(s, a.get(s.id)))
}

export function albums(call: Call, list: AlbumSummary[], as: 'id3' | 'child' = 'id3'): Node[] {
  const a = annotations(
    call,
    'album',
    list.map((x) => x.id),
  )
  return list.map((x) => (as === 'id3' ? albumID3(x, a.get(x.id)) : albumChild(x, a.get(x.id))))
}

export function artists(call: Call, list: ArtistSummary[]): Node[] {
  const a = annotations(
    call,
    'artist',
    list.map((x) => x.id),
  )
  return list.map((x) => artistID3(x, a.get(x.id)))
}
