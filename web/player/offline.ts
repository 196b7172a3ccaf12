// Pinning an album or a playlist for offline listening: its details, cover, and for each track one
// HLS rung (playlist, init segment, media segments) go into Cache Storage, where the service worker
// finds them when the server cannot be reached. The play info kept for each track points straight
// at that rung's media playlist, so hls.js never asks for a rung that is not stored.
// A track may be in several pins (an album and a playlist made from it): it is stored once, and
// each pin lists its files, so removing one pin keeps what another still plays.
import { signal } from '@preact/signals'
import { api, coverUrl } from '../lib/api.ts'
import { persisted } from '../lib/persist.ts'
import type { AlbumDetail, PlayInfo, Track } from '../lib/types.ts'

export const OFFLINE_CACHE = 'tonearm-offline'
const PINNED_RUNG_KBPS = 160
const playKey = (trackId: number) => `/offline/play/${trackId}`

export type PinKind = 'album' | 'playlist'
export interface PinTarget {
  kind: PinKind
  id: number
}
export const pinKey = (t: PinTarget) => `${t.kind}:${t.id}`

interface Stored {
  urls: string[]
  bytes: number
}
export interface Pinned extends PinTarget {
  name: string
  /** The album's artist, or the playlist's owner. */
  byline: string
  coverId: string | null
  /** All it holds on this device, shared tracks included. */
  bytes: number
  /** The details and cover: this pin's alone. */
  own: Stored
  tracks: Record<number, Stored>
}

/** What a pin is made of, from its API answer (already in the cache when this runs). */
interface Source {
  name: string
  byline: string
  coverId: string | null
  tracks: Track[]
}
const sources: Record<PinKind, { path: (id: number) => string; read: (body: unknown) => Source }> = {
  album: {
    path: (id) => `/api/albums/${id}`,
    read: (body) => {
      const a = body as AlbumDetail
      return { name: a.name, byline: a.albumArtist, coverId: a.coverId, tracks: a.tracks }
    },
  },
  playlist: {
    path: (id) => `/api/playlists/${id}`,
    read: (body) => {
      const p = body as { name: string; owner: { username: string }; entries: { track: Track }[] }
      const tracks = p.entries.map((e) => e.track)
      return { name: p.name, byline: p.owner.username, coverId: tracks[0]?.coverId ?? null, tracks }
    },
  },
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

const urlsOf = (p: Pinned) => [...p.own.urls, ...Object.values(p.tracks).flatMap((t) => t.urls)]

/** Bytes on the device for all pins, a track shared by two counted once. */
export function storedBytes(pins: Pinned[]): number {
  const tracks = new Map<string, number>()
  for (const p of pins) for (const [id, t] of Object.entries(p.tracks)) tracks.set(id, t.bytes)
  return pins.reduce((n, p) => n + p.own.bytes, 0) + [...tracks.values()].reduce((n, b) => n + b, 0)
}

export function createOffline() {
  // Keyed by pinKey(); an older album-only shape (no `own`) is dropped, its cache entries with it.
  const pinned = persisted<Record<string, Pinned>>('pinned', {})
  const busy = signal<Record<string, string>>({})
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

  async function storeTrack(cache: Cache, trackId: number): Promise<Stored> {
    const urls: string[] = []
    let bytes = 0
    try {
      const info = await api<PlayInfo>(`/api/tracks/${trackId}/play`, { method: 'POST' })
      const rung =
        info.renditions.find((r) => r.kind === 'hls' && r.bitrateKbps === PINNED_RUNG_KBPS) ??
        info.renditions.find((r) => r.kind === 'hls')
      if (!rung) throw new Error(`track ${trackId} has no HLS rendition`)
      const playlist = await (await fetch(rung.url)).text()
      await cache.put(rung.url, new Response(playlist, { headers: { 'content-type': rung.mimeType } }))
      urls.push(rung.url)
      for (const f of mediaFiles(playlist, rung.url)) {
        urls.push(f)
        bytes += await store(cache, f)
      }
      const kept: PlayInfo = { ...info, hls: rung.url, renditions: [rung], offline: true }
      const key = new URL(playKey(trackId), location.href).href
      urls.push(key)
      await cache.put(key, Response.json(kept))
      return { urls, bytes }
    } catch (e) {
      await Promise.all(urls.map((u) => cache.delete(u)))
      throw e
    }
  }

  /** Deletes the URLs of `gone` that no pin in `keep` still holds. */
  async function release(cache: Cache, gone: string[], keep: Pinned[]): Promise<void> {
    const held = new Set(keep.flatMap(urlsOf))
    await Promise.all(gone.filter((u) => !held.has(u)).map((u) => cache.delete(u)))
  }

  async function pin(target: PinTarget): Promise<void> {
    const key = pinKey(target)
    const cache = await caches.open(OFFLINE_CACHE)
    const setBusy = (text: string | null) => {
      const next = { ...busy.value }
      if (text === null) delete next[key]
      else next[key] = text
      busy.value = next
    }
    const own: Stored = { urls: [], bytes: 0 }
    const tracks: Record<number, Stored> = {}
    const others = Object.values(pinned.value).filter((p) => pinKey(p) !== key)
    try {
      setBusy('starting')
      const detailUrl = new URL(sources[target.kind].path(target.id), location.href).href
      own.urls.push(detailUrl)
      own.bytes += await store(cache, detailUrl)
      const src = sources[target.kind].read(await (await cache.match(detailUrl))?.json())
      for (const size of [300, 600]) {
        if (!src.coverId) break
        const u = new URL(coverUrl(src.coverId, size), location.href).href
        own.urls.push(u)
        own.bytes += await store(cache, u)
      }
      for (const [n, t] of src.tracks.entries()) {
        setBusy(`track ${n + 1} of ${src.tracks.length}`)
        tracks[t.id] = others.find((p) => p.tracks[t.id])?.tracks[t.id] ?? (await storeTrack(cache, t.id))
      }
      const entry: Pinned = {
        ...target,
        name: src.name,
        byline: src.byline,
        coverId: src.coverId,
        bytes: own.bytes + Object.values(tracks).reduce((n, s) => n + s.bytes, 0),
        own,
        tracks,
      }
      pinned.value = { ...pinned.value, [key]: entry }
    } catch (e) {
      // Half an album or playlist is no use offline: take back what was stored for it.
      await release(cache, [...own.urls, ...Object.values(tracks).flatMap((t) => t.urls)], others)
      throw e
    } finally {
      setBusy(null)
      void refreshUsage()
    }
  }

  async function unpin(target: PinTarget): Promise<void> {
    const key = pinKey(target)
    const p = pinned.value[key]
    if (!p) return
    const next = { ...pinned.value }
    delete next[key]
    await release(await caches.open(OFFLINE_CACHE), urlsOf(p), Object.values(next))
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

  if (Object.values(pinned.value).some((p) => !p.own)) void clear()

  return { available, pinned, busy, usage, pin, unpin, info, refreshUsage, clear }
}
export type Offline = ReturnType<typeof createOffline>
