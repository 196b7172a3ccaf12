import { useState } from 'preact/hooks'
import { useServices } from '../lib/context.ts'
import { type RadioSeed, startRadio } from '../lib/radio.ts'

/** "Radio": plays a station made from this track, album or artist. */
export function RadioButton({ seed, name }: { seed: RadioSeed; name: string }) {
  const { player } = useServices()
  const [failed, setFailed] = useState<string | null>(null)
  return (
    <>
      <button
        type="button"
        aria-label={`Start a radio station from ${name}`}
        onClick={() => {
          setFailed(null)
          startRadio(player, seed).catch((e: Error) => setFailed(`No radio: ${e.message}`))
        }}
      >
        ≈ Radio
      </button>
      {failed && (
        <span class="error" role="alert">
          {failed}
        </span>
      )}
    </>
  )
}
