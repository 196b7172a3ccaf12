// Favourites: everything you hearted, newest first — the same stars a Subsonic app shows.
import { useEffect } from 'preact/hooks'
import { AlbumGrid } from '../components/album-grid.tsx'
import { StarButton } from '../components/star-button.tsx'
import { TrackList } from '../components/track-list.tsx'
import { useServices } from '../lib/context.ts'

export function Favourites() {
  const { stars, player } = useServices()
  // Another device (or a Subsonic app) may have changed them since the app loaded.
  useEffect(() => {
    stars.load().catch((e: Error) => {
      stars.error.value = e.message
    })
  }, [stars])
  const { tracks, albums, artists } = stars.list.value
  const empty = tracks.length + albums.length + artists.length === 0
  return (
    <div class="view">
      <div class="view-head">
        <h1>Favourites</h1>
        {tracks.length > 0 && (
          <button type="button" class="primary" onClick={() => void player.playTracks(tracks, 0)}>
            ▶ Play favourite tracks
          </button>
        )}
      </div>
      {empty && <p class="muted">Nothing yet: tap the heart beside a track, an album or an artist.</p>}
      {tracks.length > 0 && (
        <section aria-label="Favourite tracks">
          <h2>Tracks</h2>
          <TrackList tracks={tracks} showAlbum />
        </section>
      )}
      {albums.length > 0 && (
        <section>
          <h2>Albums</h2>
          <AlbumGrid albums={albums} label="Favourite albums" />
        </section>
      )}
      {artists.length > 0 && (
        <section>
          <h2>Artists</h2>
          <ul class="list" aria-label="Favourite artists">
            {artists.map((a) => (
              <li key={a.id}>
                <a href={`/artists/${a.id}`}>{a.name}</a>
                <StarButton kind="artist" id={a.id} name={a.name} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
