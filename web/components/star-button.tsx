import { useServices } from '../lib/context.ts'
import type { StarKind } from '../lib/stars.ts'
import { Icon } from './icons.tsx'

/** The heart: adds a track, album or artist to your favourites, or takes it out. */
export function StarButton({ kind, id, name }: { kind: StarKind; id: number; name: string }) {
  const { stars } = useServices()
  const on = stars.isStarred(kind, id)
  return (
    <button
      type="button"
      class={on ? 'icon star on' : 'icon star'}
      aria-pressed={on}
      aria-label={on ? `Remove ${name} from favourites` : `Add ${name} to favourites`}
      title={on ? 'Remove from favourites' : 'Add to favourites'}
      onClick={() => void stars.toggle(kind, id)}
    >
      <Icon name={on ? 'heart' : 'heartOutline'} size={18} />
    </button>
  )
}
