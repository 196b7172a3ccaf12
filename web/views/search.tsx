// Search with suggestions as you type (GET /api/search/suggest) and a results page (GET /api/search).
import { useEffect, useRef, useState } from 'preact/hooks'
import { AlbumGrid } from '../components/album-grid.tsx'
import { Cover } from '../components/cover.tsx'
import { TrackList } from '../components/track-list.tsx'
import { api } from '../lib/api.ts'
import { useServices } from '../lib/context.ts'
import { navigate, query } from '../lib/router.ts'
import type { AlbumSummary, ArtistSummary, Track } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'

interface Suggestion {
  kind: 'artist' | 'album' | 'track'
  id: number
  name: string
  artist: string | null
  albumId: number | null
  coverId: string | null
}

/** Where choosing a suggestion leads: the artist's or album's page; a track's album. */
const hrefOf = (s: Suggestion) =>
  s.kind === 'artist' ? `/artists/${s.id}` : `/albums/${s.kind === 'album' ? s.id : s.albumId}`

export function SearchBox() {
  const { reporter } = useServices()
  const [q, setQ] = useState(query('q') ?? '')
  const [items, setItems] = useState<Suggestion[]>([])
  const [active, setActive] = useState(-1)
  // Open while the listener types; closed once they choose, leave the field or press Escape.
  const [open, setOpen] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    const focus = () => input.current?.focus()
    addEventListener('tonearm:focus-search', focus)
    return () => removeEventListener('tonearm:focus-search', focus)
  }, [])
  useEffect(() => {
    const text = q.trim()
    if (!text) return setItems([])
    let live = true
    // Every keystroke asks; the answers are small and a late one is dropped by `live`.
    const t = setTimeout(() => {
      api<{ items: Suggestion[] }>(`/api/search/suggest?q=${encodeURIComponent(text)}&limit=8`).then(
        (b) => live && setItems(b.items),
        () => live && setItems([]),
      )
    }, 60)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [q])
  const go = (href: string) => {
    setOpen(false)
    setItems([])
    setActive(-1)
    navigate(href)
  }
  const choose = (s: Suggestion) => {
    reporter.report({ type: 'search', query: q.trim(), chosen: { type: s.kind, id: String(s.id) } })
    setQ(s.name)
    go(hrefOf(s))
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for the browsers a household keeps around
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault()
        const chosen = items[active]
        if (chosen) choose(chosen)
        else go(`/search?q=${encodeURIComponent(q.trim())}`)
      }}
    >
      <input
        ref={input}
        type="search"
        name="q"
        placeholder="Search"
        aria-label="Search"
        // biome-ignore lint/a11y/noRedundantRoles: the WAI-ARIA combobox pattern; a search input is not one implicitly
        role="combobox"
        list={undefined}
        aria-expanded={open && items.length > 0}
        aria-controls="suggestions"
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `suggestion-${active}` : undefined}
        autocomplete="off"
        value={q}
        onInput={(e) => {
          setQ((e.target as HTMLInputElement).value)
          setActive(-1)
          setOpen(true)
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(items.length - 1, a + 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(-1, a - 1))
          else if (e.key === 'Escape') setOpen(false)
          else return
          e.preventDefault()
        }}
      />
      {open && items.length > 0 && (
        <div id="suggestions" role="listbox" aria-label="Suggestions">
          {items.map((s, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keys (arrows, Enter) and keeps focus, as the combobox pattern has it
            <div
              key={`${s.kind}-${s.id}`}
              id={`suggestion-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(s)}
            >
              <Cover id={s.coverId} size={64} />
              <span>
                {s.name}
                <span class="muted">
                  {' '}
                  · {s.kind}
                  {s.artist ? ` · ${s.artist}` : ''}
                </span>
              </span>
            </div>
          ))}
        </div>
      )}
    </form>
  )
}

interface Group<T> {
  items: T[]
  total: number
}
interface Results {
  tracks?: Group<Track>
  albums?: Group<AlbumSummary>
  artists?: Group<ArtistSummary>
  playlists?: Group<{ id: number; name: string; owner: { username: string }; entryCount: number }>
}

export function SearchView() {
  const q = query('q') ?? ''
  const { data, error } = useApi<Results>(q ? `/api/search?q=${encodeURIComponent(q)}` : null)
  return (
    <div class="view">
      <h1>Search{q ? `: ${q}` : ''}</h1>
      {error && <p class="error">{error}</p>}
      {!!data?.artists?.items.length && (
        <section aria-label="Artists found">
          <h2>Artists</h2>
          <ul class="list">
            {data.artists.items.map((a) => (
              <li key={a.id}>
                <a href={`/artists/${a.id}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!!data?.albums?.items.length && (
        <section aria-label="Albums found">
          <h2>Albums</h2>
          <AlbumGrid albums={data.albums.items} label="Albums found" />
        </section>
      )}
      {!!data?.tracks?.items.length && (
        <section aria-label="Tracks found">
          <h2>Tracks</h2>
          <TrackList tracks={data.tracks.items} showAlbum />
        </section>
      )}
      {!!data?.playlists?.items.length && (
        <section aria-label="Playlists found">
          <h2>Playlists</h2>
          <ul class="list">
            {data.playlists.items.map((p) => (
              <li key={p.id}>
                <a href={`/playlists/${p.id}`}>{p.name}</a>
                <span class="muted">
                  {' '}
                  · {p.owner.username} · {p.entryCount} tracks
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data &&
        ['tracks', 'albums', 'artists', 'playlists'].every(
          (k) => !data[k as keyof Results]?.items.length,
        ) && <p class="muted">Nothing found.</p>}
    </div>
  )
}
