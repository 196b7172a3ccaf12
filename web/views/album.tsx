import { AlbumGrid } from '../components/album-grid.tsx'
import { Cover } from '../components/cover.tsx'
import { PinButton } from '../components/pin-button.tsx'
import { RadioButton } from '../components/radio-button.tsx'
import { StarButton } from '../components/star-button.tsx'
import { TrackList } from '../components/track-list.tsx'
import { useServices } from '../lib/context.ts'
import type { AlbumDetail, ArtistDetail } from '../lib/types.ts'
import { formatTime, useApi } from '../lib/use-api.ts'
import { AddToPlaylist } from './playlists.tsx'

export function Album({ id }: { id: string }) {
  const { player } = useServices()
  const { data: a, error } = useApi<AlbumDetail>(`/api/albums/${id}`)
  if (error) return <p class="error view">{error}</p>
  if (!a) return <p class="view muted">Loading…</p>
  return (
    <div class="view">
      <header class="hero">
        <Cover id={a.coverId} size={600} alt={`Cover of ${a.name}`} />
        <div>
          <p class="muted">Album</p>
          <h1>{a.name}</h1>
          <p>
            {a.albumArtistId ? <a href={`/artists/${a.albumArtistId}`}>{a.albumArtist}</a> : a.albumArtist}
            {a.year ? ` · ${a.year}` : ''} · {a.trackCount} tracks · {formatTime(a.duration)}
          </p>
          <p class="muted">{a.genres.join(', ')}</p>
          <div class="actions-row">
            <button type="button" class="primary" onClick={() => void player.playTracks(a.tracks, 0)}>
              ▶ Play
            </button>
            <button
              type="button"
              onClick={() => {
                player.setShuffle(true)
                void player.playTracks(a.tracks, Math.floor(Math.random() * a.tracks.length))
              }}
            >
              ⤮ Shuffle
            </button>
            <button type="button" onClick={() => player.add(a.tracks)}>
              + Queue
            </button>
            <RadioButton seed={{ albumId: a.id }} name={a.name} />
            <AddToPlaylist tracks={a.tracks} label={`Add ${a.name} to a playlist`} />
            <PinButton target={{ kind: 'album', id: a.id }} />
            <StarButton kind="album" id={a.id} name={a.name} />
          </div>
        </div>
      </header>
      <TrackList tracks={a.tracks} />
    </div>
  )
}

export function Artist({ id }: { id: string }) {
  const { data: a, error } = useApi<ArtistDetail>(`/api/artists/${id}`)
  if (error) return <p class="error view">{error}</p>
  if (!a) return <p class="view muted">Loading…</p>
  return (
    <div class="view">
      <p class="muted">Artist</p>
      <div class="title-row">
        <h1>{a.name}</h1>
        <StarButton kind="artist" id={a.id} name={a.name} />
      </div>
      <p class="muted">
        {a.albumCount} albums · {a.trackCount} tracks
      </p>
      <div class="actions-row">
        <RadioButton seed={{ artistId: a.id }} name={a.name} />
      </div>
      <h2>Albums</h2>
      <AlbumGrid albums={a.albums} label={`Albums by ${a.name}`} />
      {a.appearsOn.length > 0 && (
        <>
          <h2>Appears on</h2>
          <AlbumGrid albums={a.appearsOn} label={`Albums ${a.name} appears on`} />
        </>
      )}
    </div>
  )
}
