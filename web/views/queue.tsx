import { useState } from 'preact/hooks'
import { useServices } from '../lib/context.ts'
import { formatTime } from '../lib/use-api.ts'
import { upcoming } from '../player/queue.ts'
import { AddToPlaylist } from './playlists.tsx'

// Drag to reorder with a mouse; the move buttons do the same from the keyboard or a touch screen.
export function QueueView() {
  const { player } = useServices()
  const q = player.queue.value
  const [dragging, setDragging] = useState<number | null>(null)
  const rows = upcoming(q)
  if (rows.length === 0)
    return (
      <div class="view">
        <h1>Queue</h1>
        <p class="muted">The queue is empty. Play an album or add tracks.</p>
      </div>
    )
  return (
    <div class="view">
      <div class="view-head">
        <h1>Queue</h1>
        <AddToPlaylist tracks={rows.map((r) => r.track)} label="Save the queue to a playlist" />
      </div>
      <ol class="queue" aria-label="Queue">
        {rows.map(({ k, track }) => (
          <li
            key={`${k}-${track.id}`}
            class={`${k === q.at ? 'now' : ''}${dragging === k ? ' dragging' : ''}`}
            aria-current={k === q.at ? 'true' : undefined}
            draggable
            onDragStart={(e) => {
              setDragging(k)
              e.dataTransfer?.setData('text/plain', String(k))
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault()
              const from = Number(e.dataTransfer?.getData('text/plain'))
              if (Number.isInteger(from)) player.move(from, k)
              setDragging(null)
            }}
            onDragEnd={() => setDragging(null)}
          >
            <span class="grip" aria-hidden="true">
              ⋮⋮
            </span>
            <button type="button" class="link" onClick={() => void player.jump(k)}>
              {track.title}
            </button>
            <span class="muted"> · {track.artist}</span>
            <span class="num muted">{formatTime(track.duration)}</span>
            <span class="actions">
              <button
                type="button"
                class="icon"
                aria-label={`Move ${track.title} up`}
                disabled={k === 0}
                onClick={() => player.move(k, k - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="icon"
                aria-label={`Move ${track.title} down`}
                disabled={k === rows.length - 1}
                onClick={() => player.move(k, k + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="icon"
                aria-label={`Remove ${track.title}`}
                disabled={k === q.at}
                onClick={() => player.remove(k)}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
    </div>
  )
}
