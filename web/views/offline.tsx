import { useEffect } from 'preact/hooks'
import { Cover } from '../components/cover.tsx'
import { useServices } from '../lib/context.ts'
import { formatBytes } from '../lib/use-api.ts'
import { type PinKind, type Pinned, pinKey, storedBytes } from '../player/offline.ts'

function PinnedList({ kind, pins, label }: { kind: PinKind; pins: Pinned[]; label: string }) {
  const { offline } = useServices()
  if (pins.length === 0) return null
  return (
    <ul class="list pinned" aria-label={label}>
      {pins.map((p) => (
        <li key={pinKey(p)}>
          <Cover id={p.coverId} size={64} />
          <a href={`/${kind}s/${p.id}`}>{p.name}</a>
          <span class="muted">
            {' '}
            · {p.byline} · {formatBytes(p.bytes)}
          </span>
          <button
            type="button"
            onClick={() => void offline.unpin(p)}
            aria-label={`Remove ${p.name} from this device`}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  )
}

export function OfflineView() {
  const { offline, offlineMode } = useServices()
  useEffect(() => void offline.refreshUsage(), [])
  const pins = Object.values(offline.pinned.value)
  const albums = pins.filter((p) => p.kind === 'album')
  const playlists = pins.filter((p) => p.kind === 'playlist')
  const usage = offline.usage.value
  return (
    <div class="view">
      <h1>Offline</h1>
      {offlineMode.value && (
        <p class="notice" role="status">
          The server cannot be reached. These albums and playlists play from this device.
        </p>
      )}
      <p data-testid="storage">
        {albums.length} albums · {playlists.length} playlists · {formatBytes(storedBytes(pins))} of music
        stored
        {usage
          ? ` · ${formatBytes(usage.used)} used of ${formatBytes(usage.quota)} available to this site`
          : ''}
      </p>
      <PinnedList kind="album" pins={albums} label="Albums available offline" />
      <PinnedList kind="playlist" pins={playlists} label="Playlists available offline" />
      {pins.length === 0 && (
        <p class="muted">Open an album or a playlist and choose “Make available offline”.</p>
      )}
    </div>
  )
}
