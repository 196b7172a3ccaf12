import type { Player } from './player.ts'

/** The shortcuts, also listed on the Help dialog of the app. */
export const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'],
  ['← / →', 'back / forward 10 s'],
  ['N / P', 'next / previous track'],
  ['S', 'shuffle on / off'],
  ['R', 'repeat: off, all, one'],
  ['/', 'search'],
]

export function connectKeys(player: Player, focusSearch: () => void): void {
  window.addEventListener('keydown', (e: KeyboardEvent) => {
    const el = e.target as HTMLElement
    // Typing in a field, or a key a focused control handles itself, is not a shortcut.
    if (e.ctrlKey || e.metaKey || e.altKey || el.closest('input, textarea, select, [contenteditable]')) return
    if (e.key === ' ' && el.closest('button, a')) return
    const q = player.queue.value
    const actions: Record<string, () => void> = {
      ' ': () => player.toggle(),
      ArrowRight: () => player.seek(player.position.value + 10),
      ArrowLeft: () => player.seek(Math.max(0, player.position.value - 10)),
      n: () => player.next(),
      p: () => player.previous(),
      s: () => player.setShuffle(!q.shuffle),
      r: () => player.cycleRepeat(),
      '/': focusSearch,
    }
    const act = actions[e.key.length === 1 ? e.key.toLowerCase() : e.key]
    if (!act) return
    e.preventDefault()
    act()
  })
}
