// Pinning an album for offline listening: its details, cover, and for each track one HLS rung
// (playlist, init segment, media segments) go into Cache Storage, where the service worker finds
// them when the server cannot be reached. The play info kept for each track points straight at
// that rung's media playlist, so hls.js never asks for a rung that is not stored.
import { signal } from '@preact/signals'
import { api, coverUrl } from '../lib/api.ts'
import { persisted } from '../lib/persist.ts'
import type { AlbumDetail, PlayInfo } from '../lib/types.ts'

export const OFFLINE_CACHE = 'tonearm-offline'
const PINNED_RUNG_KBPS = 160
const playKey = (trackId: number) => `/offline/play/${trackId}`

export interface Pinned {
  albumId: number
  name: string
  artist: string
  coverId: string | null
  bytes: number
  urls: string[]
  trackIds: number[]
}

function mediaFiles(playlist: string, base: string): string[] {
  const out: string[] = []
  for (const line of playlist.split('\n')) {
    const map = /^#EXT-X-MAP:.*URI="([^"]+)"/.exec(line)
    if (map?.[1]) out.push(new URL(map[1], base).href)
    else if (line && !line.startsWith('#')) out.push(new URL(line.trim(), base).href)
  }
  return out
}

export function createOffline() {
  const pinned = persisted<Record<string, Pinned>>('pinned', {})
  const busy = signal<Record<number, string>>({})
  const usage = signal<{ used: number; quota: number } | null>(null)
  const available = typeof caches !== 'undefined'

  async function refreshUsage(): Promise<void> {
    const est = await navigator.storage?.estimate?.()
    if (est) usage.value = { used: est.usage ?? 0, quota: est.quota ?? 0 }
  }

  async function store(cache: Cache, url: string): Promise<number> {
    const res = await fetch(url, { credentials: 'same-origin' })
    if (!res.ok) throw new Error(`${new URL(url).pathname}: ${res.status}`)
    const body = await res.arrayBuffer()
    // Only the type: the body is already decoded, so a content-encoding copied along would lie.
    const type = res.headers.get('content-type') ?? 'application/octet-stream'
    await cache.put(url, new Response(body, { headers: { 'content-type': type } }))
    return body.byteLength
  }

  async function pin(albumId: number): Promise<void> {
    const cache = await caches.open(OFFLINE_CACHE)
    const setBusy = (text: string | null) => {
      const next = { ...busy.value }
      if (text === null) delete next[albumId]
      else next[albumId] = text
      busy.value = next
    }
    const urls: string[] = []
    let bytes = 0
    try {
      setBusy('starting')
      const albumUrl = new URL(`/api/albums/${albumId}`, location.href).href
      bytes += await store(cache, albumUrl)
      urls.push(albumUrl)
      const album = (await (await cache.match(albumUrl))?.json()) as AlbumDetail
      for (const size of [300, 600]) {
        if (!album.coverId) break
        const u = new URL(coverUrl(album.coverId, size), location.href).href
        bytes += await store(cache, u)
        urls.push(u)
      }
      for (const [n, t] of album.tracks.entries()) {
        setBusy(`track ${n + 1} of ${album.tracks.length}`)
        const info = await api<PlayInfo>(`/api/tracks/${t.id}/play`, { method: 'POST' })
        const rung =
          info.renditions.find((r) => r.kind === 'hls' && r.bitrateKbps === PINNED_RUNG_KBPS) ??
          info.renditions.find((r) => r.kind === 'hls')
        if (!rung) throw new Error(`track ${t.id} has no HLS rendition`)
        const playlist = await (await fetch(rung.url)).text()
        await cache.put(rung.url, new Response(playlist, { headers: { 'content-type': rung.mimeType } }))
        urls.push(rung.url)
        for (const f of mediaFiles(playlist, rung.url)) {
          bytes += await store(cache, f)
          urls.push(f)
        }
        const kept: PlayInfo = { ...info, hls: rung.url, renditions: [rung], offline: true }
        await cache.put(playKey(t.id), Response.json(kept))
        urls.push(new URL(playKey(t.id), location.href).href)
      }
      pinned.value = {
        ...pinned.value,
        [albumId]: {
          albumId,
          name: album.name,
          artist: album.albumArtist,
          coverId: album.coverId,
          bytes,
          urls,
          trackIds: album.tracks.map((t) => t.id),
        },
      }
    } catch (e) {
      // Half an album is no use offline: take back what was stored.
      await Promise.all(urls.map((u) => cache.delete(u)))
      throw e
    } finally {
      setBusy(null)
      void refreshUsage()
    }
  }

  async function unpin(albumId: number): Promise<void> {
    const p = pinned.value[albumId]
    if (!p) return
    const cache = await caches.open(OFFLINE_CACHE)
    await Promise.all(p.urls.map((u) => cache.delete(u)))
    const next = { ...pinned.value }
    delete next[albumId]
    pinned.value = next
    void refreshUsage()
  }

  async function info(trackId: number): Promise<PlayInfo | null> {
    if (!available) return null
    const res = await caches.match(playKey(trackId), { cacheName: OFFLINE_CACHE })
    return res ? ((await res.json()) as PlayInfo) : null
  }

  async function clear(): Promise<void> {
    if (available) await caches.delete(OFFLINE_CACHE)
    pinned.value = {}
  }

  return { available, pinned, busy, usage, pin, unpin, info, refreshUsage, clear }
}
export type Offline = ReturnType<typeof createOffline>
