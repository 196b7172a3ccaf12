import { useState } from 'preact/hooks'
import { useServices } from '../lib/context.ts'
import { formatBytes } from '../lib/use-api.ts'
import { type PinTarget, pinKey } from '../player/offline.ts'

/** "Make available offline" for an album or a playlist, and its removal once stored. */
export function PinButton({ target }: { target: PinTarget }) {
  const { offline } = useServices()
  const [failed, setFailed] = useState<string | null>(null)
  if (!offline.available) return null
  const key = pinKey(target)
  const pinned = offline.pinned.value[key]
  const busy = offline.busy.value[key]
  if (busy)
    return (
      <button type="button" disabled aria-live="polite">
        Saving… {busy}
      </button>
    )
  if (pinned)
    return (
      <button
        type="button"
        onClick={() => void offline.unpin(target)}
        title={`${formatBytes(pinned.bytes)} stored`}
      >
        ✓ Available offline — remove
      </button>
    )
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setFailed(null)
          offline.pin(target).catch((e: Error) => setFailed(`Could not keep it offline: ${e.message}`))
        }}
      >
        Make available offline
      </button>
      {failed && (
        <span class="error" role="alert">
          {failed}
        </span>
      )}
    </>
  )
}
