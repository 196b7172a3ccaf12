/// <reference lib="webworker" />
// The service worker: the app shell from Cache Storage when the server cannot be reached, pinned
// albums' and playlists' media from the offline cache, and the last answer of their API calls.
// scripts/build-web.ts defines SHELL (the bundled files) and VERSION (their hash) when it builds this.
export {}

declare const self: ServiceWorkerGlobalScope
declare const SHELL: string[]
declare const VERSION: string

const SHELL_CACHE = `tonearm-shell-${VERSION}`
const OFFLINE_CACHE = 'tonearm-offline'

self.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('tonearm-shell-') && k !== SHELL_CACHE)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  )
})

const unreachable = () => new Response(null, { status: 503, statusText: 'offline' })

async function networkFirst(req: Request, fallback: () => Promise<Response | undefined>): Promise<Response> {
  try {
    return await fetch(req)
  } catch {
    return (await fallback()) ?? unreachable()
  }
}

self.addEventListener('fetch', (e) => {
  const req = e.request
  const url = new URL(req.url)
  if (req.method !== 'GET' || url.origin !== location.origin) return
  if (req.mode === 'navigate') {
    // Pages are the one shell; /api/docs, /setup and shared links (/share/…) are the server's own
    // pages and stay network-only.
    if (/^\/(api|rest|setup|share|metrics)(\/|$)/.test(url.pathname)) return
    e.respondWith(networkFirst(req, () => caches.match('/index.html', { cacheName: SHELL_CACHE })))
    return
  }
  if (url.pathname.startsWith('/api/media/')) {
    // Media files are immutable: a stored copy is always right, whatever the signature's expiry.
    e.respondWith(caches.match(req, { cacheName: OFFLINE_CACHE }).then((hit) => hit ?? fetch(req)))
    return
  }
  if (url.pathname.startsWith('/api/')) {
    if (url.pathname === '/api/ws' || url.pathname.startsWith('/api/events')) return
    e.respondWith(networkFirst(req, () => caches.match(req, { cacheName: OFFLINE_CACHE })))
    return
  }
  if (SHELL.includes(url.pathname)) {
    e.respondWith(caches.match(req, { cacheName: SHELL_CACHE }).then((hit) => hit ?? fetch(req)))
  }
})
