// The browse views: artists, albums as a cover grid, genres, and one genre's albums.
import { AlbumGrid } from '../components/album-grid.tsx'
import { navigate, query } from '../lib/router.ts'
import type { AlbumSummary, ArtistSummary, Genre } from '../lib/types.ts'
import { usePaged } from '../lib/use-paged.ts'

function More({ done, loading, more }: { done: boolean; loading: boolean; more: () => void }) {
  if (done) return null
  return (
    <button type="button" class="more" disabled={loading} onClick={more}>
      {loading ? 'Loading…' : 'More'}
    </button>
  )
}

export function Artists() {
  const p = usePaged<ArtistSummary>('/api/artists?role=albumArtist')
  return (
    <div class="view">
      <h1>Artists</h1>
      {p.error && <p class="error">{p.error}</p>}
      <ul class="list" aria-label="Artists">
        {p.items.map((a) => (
          <li key={a.id}>
            <a href={`/artists/${a.id}`}>{a.name}</a>
            <span class="muted">
              {' '}
              · {a.albumCount} {a.albumCount === 1 ? 'album' : 'albums'}
            </span>
          </li>
        ))}
      </ul>
      <More {...p} />
    </div>
  )
}

const SORTS = [
  ['name', 'Name'],
  ['recent', 'Recently added'],
  ['year', 'Year'],
  ['played', 'Most played'],
] as const

export function Albums() {
  const sort = query('sort') ?? 'name'
  const p = usePaged<AlbumSummary>(`/api/albums?sort=${encodeURIComponent(sort)}`)
  return (
    <div class="view">
      <div class="view-head">
        <h1>Albums</h1>
        <label>
          Sort by{' '}
          <select
            value={sort}
            onChange={(e) => navigate(`/albums?sort=${(e.target as HTMLSelectElement).value}`, true)}
          >
            {SORTS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      {p.error && <p class="error">{p.error}</p>}
      <AlbumGrid albums={p.items} label="Albums" />
      <More {...p} />
    </div>
  )
}

export function Genres() {
  const p = usePaged<Genre>('/api/genres')
  return (
    <div class="view">
      <h1>Genres</h1>
      {p.error && <p class="error">{p.error}</p>}
      <ul class="chips" aria-label="Genres">
        {p.items.map((g) => (
          <li key={g.id}>
            <a class="chip" href={`/genres/${encodeURIComponent(g.name)}`}>
              {g.name} <span class="muted">{g.albumCount}</span>
            </a>
          </li>
        ))}
      </ul>
      <More {...p} />
    </div>
  )
}

export function GenreAlbums({ name }: { name: string }) {
  const p = usePaged<AlbumSummary>(`/api/albums?genre=${encodeURIComponent(name)}`)
  return (
    <div class="view">
      <h1>{name}</h1>
      {p.error && <p class="error">{p.error}</p>}
      <AlbumGrid albums={p.items} label={`${name} albums`} />
      <More {...p} />
    </div>
  )
}
