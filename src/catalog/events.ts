// A tiny typed event emitter: the catalog announces what happened and never learns who listens
// (the status board, metrics, later the WebSocket channel and the search index).

export type Listener<T> = (payload: T) => void

export interface Emitter<E> {
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void
  emit<K extends keyof E>(event: K, payload: E[K]): void
}

export function createEmitter<E>(onListenerError?: (err: unknown) => void): Emitter<E> {
  const listeners = new Map<keyof E, Set<Listener<never>>>()
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener as Listener<never>)
      return () => void set.delete(listener as Listener<never>)
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        // A failing listener must not break the scan that emitted the event.
        try {
          ;(listener as Listener<typeof payload>)(payload)
        } catch (err) {
          onListenerError?.(err)
        }
      }
    },
  }
}
