import { coverUrl } from '../lib/api.ts'

export function Cover({ id, size = 300, alt = '' }: { id: string | null; size?: number; alt?: string }) {
  if (!id) return <div class="cover cover-empty" role="img" aria-label={alt || 'no cover'} />
  return (
    <img
      class="cover"
      src={coverUrl(id, size)}
      alt={alt}
      loading="lazy"
      decoding="async"
      width={size}
      height={size}
    />
  )
}
