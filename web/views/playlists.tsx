// Playlists (GET/POST /api/playlists, /api/playlists/{id} and its entries): yours and the public
// ones of others; play, reorder, remove, rename, delete; save the queue as a new one.
import { useState } from 'preact/hooks'
import { PinButton } from '../components/pin-button.tsx'
import { api } from '../lib/api.ts'
import { useServices } from '../lib/context.ts'
import { navigate } from '../lib/router.ts'
import type { Track } from '../lib/types.ts'
import { formatTime, useApi } from '../lib/use-api.ts'

export interface PlaylistSummary {
  id: number
  name: string
  comment: string
  owner: { id: number; username: string }
  public: boolean
  collaborative: boolean
  entryCount: number
  duration: number
  editable: boolean
  tracksEditable: boolean
}
interface PlaylistDetail extends PlaylistSummary {
  entries: {
    entryId: number
    index: number
    trackId: number
    addedBy: { id: number; username: string } | null
    track: Track
  }[]
}

const kindOf = (p: PlaylistSummary) => (p.collaborative ? ' · collaborative' : p.public ? ' · public' : '')

export function Playlists() {
  const list = useApi<{ items: PlaylistSummary[] }>('/api/playlists')
  const [error, setError] = useState<string | null>(null)
  async function create(e: Event) {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const name = String(new FormData(form).get('name') ?? '').trim()
    try {
      const p = await api<{ id: number }>('/api/playlists', { method: 'POST', json: { name } })
      navigate(`/playlists/${p.id}`)
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div class="view">
      <h1>Playlists</h1>
      {list.error && <p class="error">{list.error}</p>}
      <ul class="list" aria-label="Playlists">
        {list.data?.items.map((p) => (
          <li key={p.id}>
            <a href={`/playlists/${p.id}`}>{p.name}</a>
            <span class="muted">
              {' '}
              · {p.entryCount} tracks · {formatTime(p.duration)}
              {p.editable ? '' : ` · by ${p.owner.username}`}
              {kindOf(p)}
            </span>
          </li>
        ))}
      </ul>
      {list.data?.items.length === 0 && <p class="muted">No playlists yet.</p>}
      <form class="inline" onSubmit={create} aria-label="New playlist">
        <input
          name="name"
          placeholder="New playlist"
          aria-label="New playlist name"
          required
          maxLength={200}
        />
        <button type="submit">Create</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}

export function Playlist({ id }: { id: string }) {
  const { player } = useServices()
  const { data: p, error, reload } = useApi<PlaylistDetail>(`/api/playlists/${id}`)
  const [problem, setProblem] = useState<string | null>(null)
  if (error) return <p class="error view">{error}</p>
  if (!p) return <p class="view muted">Loading…</p>
  const tracks = p.entries.map((e) => e.track)
  const change = (path: string, body?: unknown, method = 'POST') =>
    api(`/api/playlists/${p.id}${path}`, { method, json: body }).then(reload, (e: Error) =>
      setProblem(e.message),
    )
  return (
    <div class="view">
      <p class="muted">Playlist{kindOf(p)}</p>
      <h1>{p.name}</h1>
      <p class="muted">
        {p.owner.username} · {p.entryCount} tracks · {formatTime(p.duration)}
        {p.comment ? ` · ${p.comment}` : ''}
      </p>
      <div class="actions-row">
        <button
          type="button"
          class="primary"
          disabled={tracks.length === 0}
          onClick={() => void player.playTracks(tracks, 0)}
        >
          ▶ Play
        </button>
        <button type="button" disabled={tracks.length === 0} onClick={() => player.add(tracks)}>
          + Queue
        </button>
        {tracks.length > 0 && <PinButton target={{ kind: 'playlist', id: p.id }} />}
        {p.editable && (
          <>
            <button type="button" onClick={() => void change('', { public: !p.public }, 'PATCH')}>
              Make {p.public ? 'private' : 'public'}
            </button>
            <button
              type="button"
              aria-pressed={p.collaborative}
              title="Everyone may add, move and remove tracks; only you rename or delete it"
              onClick={() => void change('', { collaborative: !p.collaborative }, 'PATCH')}
            >
              {p.collaborative ? 'Stop collaborating' : 'Let everyone add tracks'}
            </button>
            <button
              type="button"
              onClick={() => {
                if (confirm(`Delete the playlist “${p.name}”?`))
                  void api(`/api/playlists/${p.id}`, { method: 'DELETE' }).then(() => navigate('/playlists'))
              }}
            >
              Delete
            </button>
          </>
        )}
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <ol class="queue" aria-label="Playlist tracks">
        {p.entries.map((e, i) => (
          <li key={e.entryId}>
            <button type="button" class="link" onClick={() => void player.playTracks(tracks, i)}>
              {e.track.title}
            </button>
            <span class="muted"> · {e.track.artist}</span>
            {p.collaborative && e.addedBy && (
              <span class="muted added-by"> · added by {e.addedBy.username}</span>
            )}
            <span class="num muted">{formatTime(e.track.duration)}</span>
            {p.tracksEditable && (
              <span class="actions">
                <button
                  type="button"
                  class="icon"
                  aria-label={`Move ${e.track.title} up`}
                  disabled={i === 0}
                  onClick={() => void change('/entries/move', { entryIds: [e.entryId], to: i - 1 })}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="icon"
                  aria-label={`Move ${e.track.title} down`}
                  disabled={i === p.entries.length - 1}
                  onClick={() => void change('/entries/move', { entryIds: [e.entryId], to: i + 1 })}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="icon"
                  aria-label={`Remove ${e.track.title} from the playlist`}
                  onClick={() => void change('/entries/remove', { entryIds: [e.entryId] })}
                >
                  ✕
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
    </div>
  )
}

/** "Add to playlist…": your playlists and the collaborative ones, for an album's or the queue's tracks. */
export function AddToPlaylist({ tracks, label }: { tracks: Track[]; label: string }) {
  const list = useApi<{ items: PlaylistSummary[] }>('/api/playlists')
  const [done, setDone] = useState<string | null>(null)
  const mine = list.data?.items.filter((p) => p.tracksEditable) ?? []
  if (list.error) return null
  return (
    <label>
      <span class="sr-only">{label}</span>
      <select
        aria-label={label}
        value=""
        onChange={async (e) => {
          const value = (e.target as HTMLSelectElement).value
          const trackIds = tracks.map((t) => t.id)
          if (value === 'new') {
            const name = prompt('Name of the new playlist')?.trim()
            if (!name) return
            const p = await api<{ id: number }>('/api/playlists', {
              method: 'POST',
              json: { name, trackIds },
            })
            setDone(name)
            navigate(`/playlists/${p.id}`)
            return
          }
          await api(`/api/playlists/${value}/entries`, { method: 'POST', json: { trackIds } })
          setDone(mine.find((p) => String(p.id) === value)?.name ?? '')
          list.reload()
        }}
      >
        <option value="">{done !== null ? `Added to ${done}` : 'Add to playlist…'}</option>
        {mine.map((p) => (
          <option key={p.id} value={p.id}>
            {p.editable ? p.name : `${p.name} (${p.owner.username}’s)`}
          </option>
        ))}
        <option value="new">New playlist…</option>
      </select>
    </label>
  )
}
