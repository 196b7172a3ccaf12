// Favourites: the signed-in user's stars, shared with Subsonic apps through the library API. One
// store for the whole app so a heart tapped in the player bar is filled on the album page too.
import { computed, signal } from '@preact/signals'
import { api } from './api.ts'
import type { AlbumSummary, ArtistSummary, Track } from './types.ts'

export type StarKind = 'track' | 'album' | 'artist'

export interface Starred {
  tracks: (Track & { starredAt: string })[]
  albums: (AlbumSummary & { starredAt: string })[]
  artists: (ArtistSummary & { starredAt: string })[]
}

const EMPTY: Starred = { tracks: [], albums: [], artists: [] }
const key = (kind: StarKind, id: number) => `${kind}:${id}`

export function createStars() {
  const list = signal<Starred>(EMPTY)
  /** Taps not yet confirmed by the server, shown at once and undone if the server refuses. */
  const pending = signal<Record<string, boolean>>({})
  const error = signal<string | null>(null)
  const confirmed = computed(() => {
    const s = list.value
    return new Set([
      ...s.tracks.map((t) => key('track', t.id)),
      ...s.albums.map((a) => key('album', a.id)),
      ...s.artists.map((a) => key('artist', a.id)),
    ])
  })

  async function load(): Promise<void> {
    list.value = await api<Starred>('/api/library/starred')
  }

  function isStarred(kind: StarKind, id: number): boolean {
    return pending.value[key(kind, id)] ?? confirmed.value.has(key(kind, id))
  }

  async function toggle(kind: StarKind, id: number): Promise<void> {
    const k = key(kind, id)
    const want = !isStarred(kind, id)
    pending.value = { ...pending.value, [k]: want }
    error.value = null
    try {
      await api(`/api/library/starred/${kind}s/${id}`, { method: want ? 'PUT' : 'DELETE' })
      await load()
    } catch (e) {
      error.value = `Could not ${want ? 'add it to' : 'remove it from'} your favourites: ${(e as Error).message}`
    } finally {
      const { [k]: _, ...rest } = pending.value
      pending.value = rest
    }
  }

  return { list, error, load, isStarred, toggle }
}

export type Stars = ReturnType<typeof createStars>
