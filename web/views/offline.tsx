import { useEffect } from 'preact/hooks'
import { Cover } from '../components/cover.tsx'
import { useServices } from '../lib/context.ts'
import { formatBytes } from '../lib/use-api.ts'

export function OfflineView() {
  const { offline, offlineMode } = useServices()
  useEffect(() => void offline.refreshUsage(), [])
  const albums = Object.values(offline.pinned.value)
  const total = albums.reduce((n, a) => n + a.bytes, 0)
  const usage = offline.usage.value
  return (
    <div class="view">
      <h1>Offline</h1>
      {offlineMode.value && (
        <p class="notice" role="status">
          The server cannot be reached. These albums play from this device.
        </p>
      )}
      <p data-testid="storage">
        {albums.length} albums · {formatBytes(total)} of music stored
        {usage
          ? ` · ${formatBytes(usage.used)} used of ${formatBytes(usage.quota)} available to this site`
          : ''}
      </p>
      <ul class="list pinned" aria-label="Albums available offline">
        {albums.map((a) => (
          <li key={a.albumId}>
            <Cover id={a.coverId} size={64} />
            <a href={`/albums/${a.albumId}`}>{a.name}</a>
            <span class="muted">
              {' '}
              · {a.artist} · {formatBytes(a.bytes)}
            </span>
            <button
              type="button"
              onClick={() => void offline.unpin(a.albumId)}
              aria-label={`Remove ${a.name} from this device`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {albums.length === 0 && <p class="muted">Open an album and choose “Make available offline”.</p>}
    </div>
  )
}
