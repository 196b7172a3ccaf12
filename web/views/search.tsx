// Search with suggestions as you type (GET /api/search/suggest) and a results page (GET /api/search).
import { useEffect, useRef, useState } from 'preact/hooks'
import { AlbumGrid } from '../components/album-grid.tsx'
import { TrackList } from '../components/track-list.tsx'
import { api } from '../lib/api.ts'
import { navigate, query } from '../lib/router.ts'
import type { AlbumSummary, ArtistSummary, Track } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'

interface Suggestion {
  text: string
  href: string
}

// The suggest answer names items of several kinds; each becomes a label and where it leads.
function toSuggestions(body: Record<string, unknown>): Suggestion[] {
  const raw = (body.suggestions ?? body.items ?? []) as Record<string, unknown>[]
  return raw.map((s) => {
    const text = String(s.text ?? s.name ?? s.title ?? s.term ?? '')
    const kind = s.type ?? s.kind
    const id = s.id
    const href =
      kind === 'album' && id
        ? `/albums/${id}`
        : kind === 'artist' && id
          ? `/artists/${id}`
          : `/search?q=${encodeURIComponent(text)}`
    return { text, href }
  })
}

export function SearchBox() {
  const [q, setQ] = useState(query('q') ?? '')
  const [items, setItems] = useState<Suggestion[]>([])
  const [active, setActive] = useState(-1)
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
      api<Record<string, unknown>>(`/api/search/suggest?q=${encodeURIComponent(text)}`).then(
        (b) => live && setItems(toSuggestions(b).slice(0, 8)),
        () => live && setItems([]),
      )
    }, 60)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [q])
  const go = (href: string) => {
    setItems([])
    setActive(-1)
    navigate(href)
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for the browsers a household keeps around
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault()
        const chosen = items[active]
        go(chosen ? chosen.href : `/search?q=${encodeURIComponent(q.trim())}`)
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
        aria-expanded={items.length > 0}
        aria-controls="suggestions"
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `suggestion-${active}` : undefined}
        autocomplete="off"
        value={q}
        onInput={(e) => {
          setQ((e.target as HTMLInputElement).value)
          setActive(-1)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(items.length - 1, a + 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(-1, a - 1))
          else if (e.key === 'Escape') setItems([])
          else return
          e.preventDefault()
        }}
      />
      {items.length > 0 && (
        <div id="suggestions" role="listbox" aria-label="Suggestions">
          {items.map((s, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the input handles the keys (arrows, Enter) and keeps focus, as the combobox pattern has it
            <div
              key={`${s.href}-${s.text}`}
              id={`suggestion-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => {
                setQ(s.text)
                go(s.href)
              }}
            >
              {s.text}
            </div>
          ))}
        </div>
      )}
    </form>
  )
}

interface Results {
  tracks?: Track[]
  albums?: AlbumSummary[]
  artists?: ArtistSummary[]
}

export function SearchView() {
  const q = query('q') ?? ''
  const { data, error } = useApi<Results>(q ? `/api/search?q=${encodeURIComponent(q)}` : null)
  return (
    <div class="view">
      <h1>Search{q ? `: ${q}` : ''}</h1>
      {error && <p class="error">{error}</p>}
      {data?.artists && data.artists.length > 0 && (
        <section aria-label="Artists found">
          <h2>Artists</h2>
          <ul class="list">
            {data.artists.map((a) => (
              <li key={a.id}>
                <a href={`/artists/${a.id}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {data?.albums && data.albums.length > 0 && (
        <section aria-label="Albums found">
          <h2>Albums</h2>
          <AlbumGrid albums={data.albums} label="Albums found" />
        </section>
      )}
      {data?.tracks && data.tracks.length > 0 && (
        <section aria-label="Tracks found">
          <h2>Tracks</h2>
          <TrackList tracks={data.tracks} showAlbum />
        </section>
      )}
      {data && !data.tracks?.length && !data.albums?.length && !data.artists?.length && (
        <p class="muted">Nothing found.</p>
      )}
    </div>
  )
}
