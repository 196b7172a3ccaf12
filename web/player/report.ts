// Listening events for POST /api/events. They are kept in localStorage until the server has
// acknowledged them, so a reload, a closed tab or an offline hour loses nothing; the server
// ignores an event id it already has, so sending a batch twice is harmless.
import { api, OfflineError } from '../lib/api.ts'

type Body =
  | { type: 'play_started'; trackId: string }
  | { type: 'play_ended'; trackId: string; heardMs: number }
  | { type: 'skip'; trackId: string; positionMs: number }
  | { type: 'seek'; trackId: string; fromMs: number; toMs: number }
  | { type: 'pause' | 'resume'; trackId: string; positionMs: number }
  | { type: 'search'; query: string; chosen: { type: 'track' | 'album' | 'artist'; id: string } | null }

type Pending = Body & { eventId: string; deviceId: string; clientTime: number }

const KEY = 'tonearm.pendingEvents'
const MAX_KEPT = 5000

export function deviceId(): string {
  let id = localStorage.getItem('tonearm.deviceId')
  if (!id) {
    id = `web-${crypto.randomUUID()}`
    localStorage.setItem('tonearm.deviceId', id)
  }
  return id
}

export function createReporter(opts: { flushMs?: number } = {}) {
  const device = deviceId()
  const load = (): Pending[] => {
    try {
      return JSON.parse(localStorage.getItem(KEY) ?? '[]') as Pending[]
    } catch {
      return []
    }
  }
  const save = (xs: Pending[]) => localStorage.setItem(KEY, JSON.stringify(xs.slice(-MAX_KEPT)))
  let sending = false
  let timer: ReturnType<typeof setTimeout> | null = null

  async function flush(): Promise<void> {
    if (sending) return
    const batch = load().slice(0, 500)
    if (batch.length === 0) return
    sending = true
    try {
      await api('/api/events', { method: 'POST', json: { source: 'web', events: batch }, keepalive: true })
      const sent = new Set(batch.map((e) => e.eventId))
      save(load().filter((e) => !sent.has(e.eventId)))
    } catch (e) {
      // Offline: keep them for later. Rejected (a bug on our side): drop them rather than retry forever.
      if (!(e instanceof OfflineError)) {
        const sent = new Set(batch.map((x) => x.eventId))
        save(load().filter((x) => !sent.has(x.eventId)))
      }
    } finally {
      sending = false
    }
  }

  function schedule(): void {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      void flush()
    }, opts.flushMs ?? 2000)
  }

  addEventListener('online', () => void flush())
  addEventListener('pagehide', () => void flush())

  return {
    report(body: Body): void {
      const whole = (n: number) => Math.max(0, Math.round(n))
      const e = { ...body, eventId: crypto.randomUUID(), deviceId: device, clientTime: Date.now() } as Pending
      if (e.type === 'play_ended') e.heardMs = whole(e.heardMs)
      if (e.type === 'skip' || e.type === 'pause' || e.type === 'resume') e.positionMs = whole(e.positionMs)
      if (e.type === 'seek') {
        e.fromMs = whole(e.fromMs)
        e.toMs = whole(e.toMs)
      }
      save([...load(), e])
      schedule()
    },
    flush,
    pending: () => load().length,
    /** Forget what was not sent (signing out: it must not go out under the next listener's name). */
    clear: () => localStorage.removeItem(KEY),
  }
}
export type Reporter = ReturnType<typeof createReporter>
