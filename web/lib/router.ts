import { signal } from '@preact/signals'

// Client-side routes are plain paths (the server answers index.html for any page path). Written
// by hand because it is twenty lines: a signal of the path and a pattern match, nothing more.
export const path = signal(location.pathname + location.search)

export function navigate(to: string, replace = false): void {
  if (to === path.value) return
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  path.value = to
  scrollTo(0, 0)
}

addEventListener('popstate', () => {
  path.value = location.pathname + location.search
})

/** `match('/albums/:id', '/albums/4')` → `{ id: '4' }`, or null. */
export function match(pattern: string, p: string): Record<string, string> | null {
  const [pathname] = p.split('?')
  const a = pattern.split('/')
  const b = (pathname ?? '').split('/')
  if (a.length !== b.length) return null
  const out: Record<string, string> = {}
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string
    const y = b[i] as string
    if (x.startsWith(':')) out[x.slice(1)] = decodeURIComponent(y)
    else if (x !== y) return null
  }
  return out
}

export const query = (name: string) => new URLSearchParams(path.value.split('?')[1] ?? '').get(name)

/** Links that navigate in place; modified clicks (new tab) are left to the browser. */
export function onLinkClick(e: MouseEvent): void {
  const a = (e.target as Element).closest?.('a')
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
  const href = a.getAttribute('href')
  if (
    !href?.startsWith('/') ||
    a.target ||
    a.hasAttribute('download') ||
    /^\/(api|rest|metrics|setup|share)(\/|$)/.test(href)
  )
    return
  e.preventDefault()
  navigate(href)
}
