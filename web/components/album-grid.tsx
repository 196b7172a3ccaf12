import type { AlbumSummary } from '../lib/types.ts'
import { Cover } from './cover.tsx'

export function AlbumGrid({ albums, label }: { albums: AlbumSummary[]; label: string }) {
  return (
    <ul class="grid" aria-label={label}>
      {albums.map((a) => (
        <li key={a.id} class="card">
          <a href={`/albums/${a.id}`} aria-label={`${a.name} by ${a.albumArtist}`}>
            <Cover id={a.coverId} />
            <span class="card-title">{a.name}</span>
          </a>
          {a.albumArtistId ? (
            <a class="card-sub" href={`/artists/${a.albumArtistId}`}>
              {a.albumArtist}
            </a>
          ) : (
            <span class="card-sub">{a.albumArtist}</span>
          )}
        </li>
      ))}
    </ul>
  )
}
