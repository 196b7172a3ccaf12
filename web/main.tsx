// The web player's entry: make the services once, find out who is signed in (or that the server
// is unreachable and the app runs offline), and render.
import { signal } from '@preact/signals'
import { render } from 'preact'
import { App } from './app.tsx'
import { api, OfflineError, whenUnauthorized } from './lib/api.ts'
import { type AppServices, Services } from './lib/context.ts'
import { persisted } from './lib/persist.ts'
import { createSettings } from './lib/settings.ts'
import { createStars } from './lib/stars.ts'
import type { User } from './lib/types.ts'
import { connectKeys } from './player/keys.ts'
import { connectMediaSession } from './player/media-session.ts'
import { createOffline } from './player/offline.ts'
import { createPlayer } from './player/player.ts'
import { createReporter } from './player/report.ts'

const settings = createSettings()
const offline = createOffline()
const reporter = createReporter()
const player = createPlayer({ settings, reporter, offlineInfo: offline.info })
// The last signed-in user is remembered so the app can open offline, from its caches.
const lastUser = persisted<User | null>('user', null)
const services: AppServices = {
  player,
  reporter,
  settings,
  offline,
  stars: createStars(),
  user: signal<User | null>(null),
  offlineMode: signal(false),
}
connectMediaSession(player)
connectKeys(player, () => dispatchEvent(new Event('tonearm:focus-search')))
whenUnauthorized(() => {
  services.user.value = null
})

async function boot(): Promise<void> {
  try {
    const me = await api<{ user: User }>('/api/auth/me')
    services.user.value = me.user
    lastUser.value = me.user
    void reporter.flush()
  } catch (e) {
    if (e instanceof OfflineError && lastUser.value) {
      services.user.value = lastUser.value
      services.offlineMode.value = true
    }
  }
  booted = true
  const root = document.getElementById('app') as HTMLElement
  // The boot text is a placeholder, not markup to hydrate.
  root.replaceChildren()
  render(
    <Services.Provider value={services}>
      <App />
    </Services.Provider>,
    root,
  )
}

// After start-up, signing in and out (or a session that ended) is remembered for the next visit.
let booted = false
services.user.subscribe((u) => {
  if (booted) lastUser.value = u
  // Whoever signs in sees their own hearts; offline there is nothing to ask.
  if (u && !services.offlineMode.value) services.stars.load().catch(() => {})
})

if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No service worker (plain http on a LAN address is not a secure context): no offline mode.
    })
  })
}
void boot()
