// A board where long-lived parts (database, audio engine, demo library, later the scanner) post
// their state; /api/health reads it. Parts never learn about HTTP, and HTTP never pokes at parts.
export type ComponentState = { status: 'starting' | 'ok' | 'working' | 'failed' } & Record<string, unknown>

export interface StatusBoard {
  set(component: string, state: ComponentState): void
  snapshot(): Record<string, ComponentState>
  degraded(): boolean
}

export function createStatusBoard(): StatusBoard {
  const states = new Map<string, ComponentState>()
  return {
    set: (component, state) => void states.set(component, state),
    snapshot: () => Object.fromEntries(states),
    degraded: () => [...states.values()].some((s) => s.status === 'failed'),
  }
}
