import { Cover } from '../components/cover.tsx'
import { RadioButton } from '../components/radio-button.tsx'
import { StarButton } from '../components/star-button.tsx'
import { useServices } from '../lib/context.ts'
import type { TrackDetail } from '../lib/types.ts'
import { useApi } from '../lib/use-api.ts'

interface Line {
  at: number
  text: string
}

/** LRC (`[mm:ss.xx] text`) to timed lines; a line with several stamps appears at each. */
export function parseLrc(text: string): Line[] {
  const out: Line[] = []
  for (const raw of text.split(/\r?\n/)) {
    const stamps = [...raw.matchAll(/\[(\d+):(\d+(?:\.\d+)?)\]/g)]
    const words = raw.replace(/\[[^\]]*\]/g, '').trim()
    for (const m of stamps) out.push({ at: Number(m[1]) * 60 + Number(m[2]), text: words })
  }
  return out.sort((a, b) => a.at - b.at)
}

function Lyrics({ track }: { track: TrackDetail }) {
  const { player } = useServices()
  const synced = track.lyrics.find((l) => l.synced)
  const plain = track.lyrics.find((l) => !l.synced)
  if (synced) {
    const lines = parseLrc(synced.text)
    const t = player.position.value
    let now = -1
    for (const [i, l] of lines.entries()) if (l.at <= t) now = i
    return (
      <ol class="lyrics synced" aria-label="Lyrics">
        {lines.map((l, i) => (
          <li
            key={`${i}-${l.at}`}
            class={i === now ? 'now' : ''}
            aria-current={i === now ? 'true' : undefined}
          >
            {l.text || '♪'}
          </li>
        ))}
      </ol>
    )
  }
  if (plain) return <pre class="lyrics">{plain.text}</pre>
  return <p class="muted">No lyrics for this track.</p>
}

export function NowPlaying() {
  const { player } = useServices()
  const t = player.current()
  const { data } = useApi<TrackDetail>(t ? `/api/tracks/${t.id}` : null)
  if (!t)
    return (
      <div class="view">
        <h1>Now playing</h1>
        <p class="muted">Nothing is playing.</p>
      </div>
    )
  return (
    <div class="view now-playing">
      <Cover id={t.coverId} size={600} alt={`Cover of ${t.album}`} />
      <div>
        <div class="title-row">
          <h1>{t.title}</h1>
          <StarButton kind="track" id={t.id} name={t.title} />
          <RadioButton seed={{ trackId: t.id }} name={t.title} />
        </div>
        <p>
          {t.artist} — <a href={`/albums/${t.albumId}`}>{t.album}</a>
        </p>
        {data && data.id === t.id && <Lyrics track={data} />}
      </div>
    </div>
  )
}
