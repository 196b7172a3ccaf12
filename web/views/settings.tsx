import { api } from '../lib/api.ts'
import { useServices } from '../lib/context.ts'
import { QUALITIES, type Quality, type Theme } from '../lib/settings.ts'
import { formatBytes } from '../lib/use-api.ts'

const QUALITY_LABEL: Record<Quality, string> = {
  auto: 'Automatic (adapts to the network)',
  '24': '24 kbps',
  '96': '96 kbps',
  '160': '160 kbps',
  '320': '320 kbps',
  original: 'Original file',
}

export function SettingsView() {
  const { settings, offline, user, player, reporter } = useServices()
  const u = user.value
  async function signOut() {
    // What was heard goes out under this listener's name; then a shared computer keeps nothing of
    // theirs: not the queue, not the music pinned offline.
    player.clear()
    await reporter.flush()
    reporter.clear()
    await api('/api/auth/logout', { method: 'POST' }).catch(() => {})
    await offline.clear()
    user.value = null
  }
  return (
    <div class="view settings">
      <div class="view-head">
        <h1>Settings</h1>
        {u && (
          <p>
            Signed in as {u.username}{' '}
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </p>
        )}
      </div>
      <section aria-labelledby="playback-h">
        <h2 id="playback-h">Playback</h2>
        <label>
          Streaming quality{' '}
          <select
            name="quality"
            value={settings.quality.value}
            onChange={(e) => {
              settings.quality.value = (e.target as HTMLSelectElement).value as Quality
            }}
          >
            {QUALITIES.map((q) => (
              <option key={q} value={q}>
                {QUALITY_LABEL[q]}
              </option>
            ))}
          </select>
        </label>
        {u && u.maxBitrate > 0 && <p class="muted">Your account streams at most {u.maxBitrate} kbps.</p>}
        <label class="check">
          <input
            type="checkbox"
            name="normalize"
            checked={settings.normalize.value}
            onChange={(e) => {
              settings.normalize.value = (e.target as HTMLInputElement).checked
            }}
          />{' '}
          Normalize loudness
        </label>
        <label>
          Target loudness{' '}
          <input
            type="range"
            name="target"
            min={-23}
            max={-8}
            step={1}
            disabled={!settings.normalize.value}
            value={settings.targetLufs.value}
            onInput={(e) => {
              settings.targetLufs.value = Number((e.target as HTMLInputElement).value)
            }}
          />{' '}
          <output>{settings.targetLufs.value} LUFS</output>
        </label>
      </section>
      <section aria-labelledby="look-h">
        <h2 id="look-h">Appearance</h2>
        <fieldset>
          <legend>Theme</legend>
          {(['system', 'light', 'dark'] as Theme[]).map((t) => (
            <label key={t} class="check">
              <input
                type="radio"
                name="theme"
                value={t}
                checked={settings.theme.value === t}
                onChange={() => {
                  settings.theme.value = t
                }}
              />{' '}
              {t[0]?.toUpperCase() + t.slice(1)}
            </label>
          ))}
        </fieldset>
      </section>
      {offline.available && (
        <section aria-labelledby="offline-h">
          <h2 id="offline-h">Offline</h2>
          <p>
            {Object.keys(offline.pinned.value).length} albums and playlists kept offline ·{' '}
            <a href="/offline">manage</a>
            {offline.usage.value && ` · ${formatBytes(offline.usage.value.used)} used on this device`}
          </p>
        </section>
      )}
    </div>
  )
}
