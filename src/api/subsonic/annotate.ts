import type { AlbumSummary, Song } from '../../catalog/index.ts'
import type { Call } from './context.ts'
import type { Node } from './encode.ts'
import { type Annotation, albumChild, albumID3, child } from './models.ts'

// What the user attached to the items of an answer, fetched once per answer: plays (from the
// listening events) now; stars and ratings join here from the library domain.

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : undefined)

function annotations(call: Call, kind: 'track' | 'album', ids: number[]): Map<number, Annotation> {
  const out = new Map<number, Annotation>()
  const plays = call.deps.events?.stats.playsOf(kind, ids.map(String), call.principal.userId)
  for (const id of ids) {
    const p = plays?.get(String(id))
    out.set(id, { playCount: p?.plays ?? 0, played: iso(p?.lastPlayedAt) })
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
