import { useServices } from '../lib/context.ts'
import type { Track } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'
import { Cover } from './cover.tsx'

interface Mix {
  id: string
  name: string
  description: string
  tracks: Track[]
}

/** The recommender's mixes for the signed-in listener, as cards that play on a tap. */
export function Mixes() {
  const { player } = useServices()
  const { data } = useApi<{ items: Mix[] }>('/api/mixes')
  if (!data || data.items.length === 0) return null
  return (
    <section aria-labelledby="mixes">
      <h2 id="mixes">Made for you</h2>
      <ul class="grid" aria-label="Mixes">
        {data.items.map((m) => (
          <li key={m.id} class="card mix">
            <button
              type="button"
              class="mix-play"
              aria-label={`Play ${m.name}: ${m.tracks.length} tracks`}
              onClick={() => void player.playTracks(m.tracks, 0)}
            >
              <MixCovers tracks={m.tracks} />
              <span class="card-title">{m.name}</span>
              <span class="card-sub">{m.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Four different covers as a square of four, as streaming apps show a mix; fewer, the first alone. */
function MixCovers({ tracks }: { tracks: Track[] }) {
  const covers = [...new Set(tracks.map((t) => t.coverId))].slice(0, 4)
  return (
    <span class={covers.length === 4 ? 'mix-covers four' : 'mix-covers'} aria-hidden="true">
      {(covers.length === 4 ? covers : covers.slice(0, 1)).map((id) => (
        <Cover key={id ?? 'none'} id={id} size={covers.length === 4 ? 150 : 300} />
      ))}
    </span>
  )
}
