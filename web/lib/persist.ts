import { effect, type Signal, signal } from '@preact/signals'

// A signal whose value lives in localStorage, so settings and the queue survive a reload.
export function persisted<T>(key: string, initial: T): Signal<T> {
  let start = initial
  try {
    const raw = localStorage.getItem(`tonearm.${key}`)
    if (raw !== null) start = JSON.parse(raw) as T
  } catch {
    // A value from an older version that no longer parses: start over with the default.
  }
  const s = signal(start)
  effect(() => {
    try {
      localStorage.setItem(`tonearm.${key}`, JSON.stringify(s.value))
    } catch {
      // Storage full or disabled (private windows): the setting just lasts for this visit.
    }
  })
  return s
}
