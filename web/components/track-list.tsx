import { useServices } from '../lib/context.ts'
import type { Track } from '../lib/types.ts'
import { formatTime } from '../lib/use-api.ts'
import { StarButton } from './star-button.tsx'

/** Tracks as a table; clicking a title plays the list from there, as a streaming app does. */
export function TrackList({ tracks, showAlbum = false }: { tracks: Track[]; showAlbum?: boolean }) {
  const { player } = useServices()
  const now = player.current()?.id
  return (
    <table class="tracks">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Title</th>
          {showAlbum && <th scope="col">Album</th>}
          <th scope="col" class="num">
            Time
          </th>
          <th scope="col">
            <span class="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tracks.map((t, i) => (
          <tr key={t.id} class={t.id === now ? 'now' : ''} aria-current={t.id === now ? 'true' : undefined}>
            <td class="num">{t.trackNo ?? i + 1}</td>
            <td>
              <button type="button" class="link" onClick={() => void player.playTracks(tracks, i)}>
                {t.title}
              </button>
              <span class="muted"> · {t.artist}</span>
            </td>
            {showAlbum && (
              <td>
                <a href={`/albums/${t.albumId}`}>{t.album}</a>
              </td>
            )}
            <td class="num">{formatTime(t.duration)}</td>
            <td class="actions">
              <StarButton kind="track" id={t.id} name={t.title} />
              <button
                type="button"
                class="icon"
                title="Play next"
                aria-label={`Play ${t.title} next`}
                onClick={() => player.add([t], true)}
              >
                ⤵
              </button>
              <button
                type="button"
                class="icon"
                title="Add to queue"
                aria-label={`Add ${t.title} to the queue`}
                onClick={() => player.add([t])}
              >
                +
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
