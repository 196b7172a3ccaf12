import { useEffect, useState } from 'preact/hooks'
import { AlbumGrid } from '../components/album-grid.tsx'
import { Mixes } from '../components/mixes.tsx'
import { TrackList } from '../components/track-list.tsx'
import { api } from '../lib/api.ts'
import type { AlbumSummary, Page, Track } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'

interface History {
  items: { trackId: string; playedAt: number }[]
}

/** The tracks you played last, newest first, each once. */
function useRecentlyPlayed(): Track[] {
  const [tracks, setTracks] = useState<Track[]>([])
  useEffect(() => {
    let live = true
    api<History>('/api/stats/history?limit=50')
      .then(async (h) => {
        const ids = [...new Set(h.items.map((i) => i.trackId))].slice(0, 8)
        const found = await Promise.all(ids.map((id) => api<Track>(`/api/tracks/${id}`).catch(() => null)))
        if (live) setTracks(found.filter((t): t is Track => t !== null))
      })
      .catch(() => {})
    return () => {
      live = false
    }
  }, [])
  return tracks
}

export function Home() {
  const recent = useApi<Page<AlbumSummary>>('/api/albums?sort=recent&limit=12')
  const most = useApi<Page<AlbumSummary>>('/api/albums?sort=played&limit=12')
  const played = useRecentlyPlayed()
  return (
    <div class="view">
      <h1>Home</h1>
      <Mixes />
      <section aria-labelledby="recent-added">
        <h2 id="recent-added">Recently added</h2>
        {recent.error && <p class="error">{recent.error}</p>}
        {recent.data && <AlbumGrid albums={recent.data.items} label="Recently added albums" />}
      </section>
      {played.length > 0 && (
        <section aria-labelledby="recent-played">
          <h2 id="recent-played">Recently played</h2>
          <TrackList tracks={played} showAlbum />
        </section>
      )}
      <section aria-labelledby="most-played">
        <h2 id="most-played">Most played</h2>
        {most.data && (
          <AlbumGrid albums={most.data.items.filter((a) => a.playCount > 0)} label="Most played albums" />
        )}
        {most.data?.items.every((a) => a.playCount === 0) && <p class="muted">Nothing played yet.</p>}
      </section>
    </div>
  )
}
