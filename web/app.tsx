import { PlayerBar } from './components/player-bar.tsx'
import { useServices } from './lib/context.ts'
import { match, onLinkClick, path } from './lib/router.ts'
import { Admin } from './views/admin.tsx'
import { Album, Artist } from './views/album.tsx'
import { Favourites } from './views/favourites.tsx'
import { Home } from './views/home.tsx'
import { Albums, Artists, GenreAlbums, Genres } from './views/library.tsx'
import { NowPlaying } from './views/now-playing.tsx'
import { OfflineView } from './views/offline.tsx'
import { Playlist, Playlists } from './views/playlists.tsx'
import { QueueView } from './views/queue.tsx'
import { SearchBox, SearchView } from './views/search.tsx'
import { SettingsView } from './views/settings.tsx'
import { SignIn } from './views/sign-in.tsx'
import { Stats } from './views/stats.tsx'

const ROUTES: [string, (p: Record<string, string>) => preact.JSX.Element][] = [
  ['/', () => <Home />],
  ['/artists', () => <Artists />],
  ['/artists/:id', (p) => <Artist id={p.id as string} />],
  ['/albums', () => <Albums />],
  ['/albums/:id', (p) => <Album id={p.id as string} />],
  ['/genres', () => <Genres />],
  ['/genres/:name', (p) => <GenreAlbums name={p.name as string} />],
  ['/search', () => <SearchView />],
  ['/favourites', () => <Favourites />],
  ['/playlists', () => <Playlists />],
  ['/playlists/:id', (p) => <Playlist id={p.id as string} />],
  ['/queue', () => <QueueView />],
  ['/now-playing', () => <NowPlaying />],
  ['/stats', () => <Stats />],
  ['/settings', () => <SettingsView />],
  ['/admin', () => <Admin />],
  ['/offline', () => <OfflineView />],
]

const NAV: [string, string][] = [
  ['/', 'Home'],
  ['/artists', 'Artists'],
  ['/albums', 'Albums'],
  ['/genres', 'Genres'],
  ['/favourites', 'Favourites'],
  ['/playlists', 'Playlists'],
  ['/queue', 'Queue'],
  ['/stats', 'Statistics'],
  ['/offline', 'Offline'],
  ['/settings', 'Settings'],
  ['/admin', 'Admin'],
]

function Route() {
  const p = path.value
  for (const [pattern, view] of ROUTES) {
    const params = match(pattern, p)
    if (params) return view(params)
  }
  return (
    <div class="view">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{p}</code>. <a href="/">Home</a>
      </p>
    </div>
  )
}

export function App() {
  const { user, offlineMode, stars } = useServices()
  if (!user.value) return <SignIn />
  const here = path.value.split('?')[0]
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: one delegated handler makes every in-app link navigate without a reload; the links stay links
    // biome-ignore lint/a11y/useKeyWithClickEvents: a link's Enter key fires a click, so keyboards are covered
    <div class="shell" onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Tonearm
        </a>
        <SearchBox />
        {offlineMode.value && (
          <span class="badge" role="status">
            offline
          </span>
        )}
      </header>
      <nav aria-label="Main">
        <ul>
          {NAV.map(([href, label]) => (
            <li key={href}>
              <a href={href} aria-current={here === href ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {stars.error.value && (
          <p class="error" role="alert">
            {stars.error.value}
          </p>
        )}
        <Route />
      </main>
      <PlayerBar />
    </div>
  )
}
