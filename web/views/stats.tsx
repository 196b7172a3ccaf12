// Listening statistics (GET /api/stats/*): the numbers come with ids only, so names are looked up
// from the catalog, a handful at a time.
import { useEffect, useState } from 'preact/hooks'
import { api } from '../lib/api.ts'
import { navigate, query } from '../lib/router.ts'
import { formatTime, useApi } from '../lib/use-api.ts'

type Kind = 'track' | 'album' | 'artist'
interface TopItem {
  id: string
  plays: number
  heardMs: number
}
interface Named {
  name?: string
  title?: string
  artist?: string
  albumArtist?: string
}

const PERIODS = [
  ['week', 'Last 7 days'],
  ['month', 'Last 30 days'],
  ['year', 'Last year'],
  ['all', 'All time'],
] as const

function useNames(kind: Kind, ids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({})
  const key = ids.join(',')
  useEffect(() => {
    let live = true
    Promise.all(
      ids.map((id) =>
        api<Named>(`/api/${kind}s/${id}`).then(
          (x) =>
            [
              id,
              x.title
                ? `${x.title} — ${x.artist}`
                : x.albumArtist
                  ? `${x.name} — ${x.albumArtist}`
                  : (x.name ?? id),
            ] as const,
          () => [id, `#${id} (no longer in the library)`] as const,
        ),
      ),
    ).then((pairs) => live && setNames(Object.fromEntries(pairs)))
    return () => {
      live = false
    }
  }, [kind, key])
  return names
}

function Top({ kind, period, scope }: { kind: Kind; period: string; scope: string }) {
  const { data, error } = useApi<{ items: TopItem[] }>(
    `/api/stats/top?kind=${kind}&period=${period}&scope=${scope}&limit=10`,
  )
  const items = data?.items ?? []
  const names = useNames(
    kind,
    items.map((i) => i.id),
  )
  const href = (id: string) => (kind === 'track' ? null : `/${kind}s/${id}`)
  return (
    <section aria-label={`Top ${kind}s`}>
      <h2>Top {kind}s</h2>
      {error && <p class="error">{error}</p>}
      {data && items.length === 0 && <p class="muted">No plays in this period.</p>}
      <ol class="ranked">
        {items.map((i) => {
          const link = href(i.id)
          const label = names[i.id] ?? '…'
          return (
            <li key={i.id}>
              {link ? <a href={link}>{label}</a> : label}
              <span class="muted">
                {' '}
                · {i.plays} {i.plays === 1 ? 'play' : 'plays'} · {formatTime(i.heardMs / 1000)}
              </span>
            </li>
          )
        })}
      </ol>
    </section>
  )
}

export function Stats() {
  const period = query('period') ?? 'month'
  const scope = query('scope') ?? 'me'
  const time = useApi<{ heardMs: number; plays: number; days: { day: string; heardMs: number }[] }>(
    `/api/stats/listening-time?period=${period}&scope=${scope}`,
  )
  const history = useApi<{ items: { trackId: string; playedAt: number; heardMs: number }[] }>(
    '/api/stats/history?limit=20',
  )
  const now = useApi<{
    items: { userId: number; deviceId: string; trackId: string; state: 'playing' | 'paused' }[]
  }>('/api/stats/now-playing')
  const historyNames = useNames('track', [...new Set(history.data?.items.map((h) => h.trackId) ?? [])])
  const nowNames = useNames('track', now.data?.items.map((n) => n.trackId) ?? [])
  const set = (k: string, v: string) => {
    const p = new URLSearchParams({ period, scope, [k]: v })
    navigate(`/stats?${p}`, true)
  }
  const max = Math.max(1, ...(time.data?.days.map((d) => d.heardMs) ?? []))
  return (
    <div class="view stats">
      <div class="view-head">
        <h1>Listening statistics</h1>
        <label>
          Period{' '}
          <select value={period} onChange={(e) => set('period', (e.target as HTMLSelectElement).value)}>
            {PERIODS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Whose{' '}
          <select value={scope} onChange={(e) => set('scope', (e.target as HTMLSelectElement).value)}>
            <option value="me">Mine</option>
            <option value="household">The household’s</option>
          </select>
        </label>
      </div>
      {time.data && (
        <section aria-label="Listening time">
          <p class="big" data-testid="listening-time">
            {formatTime(time.data.heardMs / 1000)} listened · {time.data.plays}{' '}
            {time.data.plays === 1 ? 'play' : 'plays'}
          </p>
          <div class="bars" role="img" aria-label="Listening time per day">
            {time.data.days.map((d) => (
              <span
                key={d.day}
                title={`${d.day}: ${formatTime(d.heardMs / 1000)}`}
                style={{ height: `${(100 * d.heardMs) / max}%` }}
              />
            ))}
          </div>
        </section>
      )}
      <div class="columns">
        <Top kind="track" period={period} scope={scope} />
        <Top kind="album" period={period} scope={scope} />
        <Top kind="artist" period={period} scope={scope} />
      </div>
      <section aria-label="History">
        <h2>Recently played</h2>
        <ol class="ranked">
          {history.data?.items.map((h) => (
            <li key={`${h.trackId}-${h.playedAt}`}>
              {historyNames[h.trackId] ?? '…'}{' '}
              <span class="muted">· {new Date(h.playedAt).toLocaleString()}</span>
            </li>
          ))}
        </ol>
        {history.data?.items.length === 0 && <p class="muted">Nothing yet.</p>}
      </section>
      <section aria-label="Now playing in the household">
        <h2>Playing now in the household</h2>
        {now.data?.items.length === 0 && <p class="muted">Nobody is playing anything.</p>}
        <ul class="list">
          {now.data?.items.map((n) => (
            <li key={n.deviceId}>
              {nowNames[n.trackId] ?? '…'} <span class="muted">· user {n.userId}</span>
              {n.state === 'paused' && <span class="muted"> · paused</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}
