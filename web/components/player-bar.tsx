import { useServices } from '../lib/context.ts'
import { formatTime } from '../lib/use-api.ts'
import { Cover } from './cover.tsx'
import { Icon } from './icons.tsx'
import { StarButton } from './star-button.tsx'

export function PlayerBar() {
  const { player, settings } = useServices()
  const t = player.current()
  const q = player.queue.value
  const busy = player.playing.value || player.waiting.value
  const dur = player.duration.value || t?.duration || 0
  return (
    <section class="player-bar" aria-label="Player">
      <div class="bar-now">
        <a class="bar-track" href="/now-playing" aria-label="Now playing">
          <Cover id={t?.coverId ?? null} size={64} />
          <span>
            <span class="bar-title" data-testid="now-title">
              {t?.title ?? 'Nothing playing'}
            </span>
            <span class="muted bar-artist">{t ? `${t.artist} — ${t.album}` : 'Pick an album to start'}</span>
          </span>
        </a>
        {t && <StarButton kind="track" id={t.id} name={t.title} />}
      </div>
      <div class="bar-controls">
        <div class="buttons">
          <button
            type="button"
            class={`icon toggle${q.shuffle ? ' on' : ''}`}
            aria-pressed={q.shuffle}
            aria-label="Shuffle"
            title="Shuffle (s)"
            onClick={() => player.setShuffle(!q.shuffle)}
          >
            <Icon name="shuffle" />
          </button>
          <button
            type="button"
            class="icon"
            aria-label="Previous"
            title="Previous (p)"
            onClick={() => player.previous()}
          >
            <Icon name="previous" />
          </button>
          <button
            type="button"
            class="icon play"
            aria-label={busy ? 'Pause' : 'Play'}
            title="Play/pause (space)"
            disabled={!t}
            onClick={() => player.toggle()}
          >
            <Icon name={busy ? 'pause' : 'play'} size={30} />
          </button>
          <button type="button" class="icon" aria-label="Next" title="Next (n)" onClick={() => player.next()}>
            <Icon name="next" />
          </button>
          <button
            type="button"
            class={`icon toggle${q.repeat !== 'off' ? ' on' : ''}`}
            aria-label={`Repeat: ${q.repeat}`}
            title="Repeat (r)"
            onClick={() => player.cycleRepeat()}
          >
            <Icon name="repeat" />
            {q.repeat === 'one' && <span class="one">1</span>}
          </button>
        </div>
        <div class="seek">
          <span class="time" data-testid="position">
            {formatTime(player.position.value)}
          </span>
          <input
            type="range"
            aria-label="Seek"
            min={0}
            max={Math.max(1, dur)}
            step={0.1}
            value={player.position.value}
            disabled={!t}
            onChange={(e) => player.seek(Number((e.target as HTMLInputElement).value))}
          />
          <span class="time">{formatTime(dur)}</span>
        </div>
        {player.error.value && (
          <p class="error" role="alert">
            {player.error.value}
          </p>
        )}
      </div>
      <div class="bar-extra">
        <a class="icon" href="/queue" aria-label="Queue" title="Queue">
          <Icon name="queue" />
        </a>
        <input
          type="range"
          aria-label="Volume"
          min={0}
          max={1}
          step={0.01}
          value={settings.volume.value}
          onInput={(e) => {
            settings.volume.value = Number((e.target as HTMLInputElement).value)
          }}
        />
      </div>
    </section>
  )
}
