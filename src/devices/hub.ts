// A small typed publish/subscribe hub. Domains publish what happened (scan progress, library and
// playlist changes, now playing) without knowing who listens; the WebSocket layer subscribes on
// behalf of the sockets that asked. Delivery is synchronous and in order, per topic.

/** Who may see a message; left out, every signed-in user may. */
export interface Audience {
  /** Only these users. */
  userIds?: readonly number[]
  /** Only users who may see at least one of these music folders. */
  folderIds?: readonly number[]
}

export type Listener<P> = (payload: P, audience: Audience | undefined) => void

export interface Hub<Topics extends object> {
  publish<K extends keyof Topics>(topic: K, payload: Topics[K], audience?: Audience): void
  /** Returns the function that ends the subscription. */
  subscribe<K extends keyof Topics>(topic: K, listener: Listener<Topics[K]>): () => void
  listeners(topic: keyof Topics): number
}

// A listener that throws is reported and skipped: a broken subscriber must never make a
// publisher (the scanner, a playlist write) fail.
export function createHub<Topics extends object>(onError: (err: unknown) => void = () => {}): Hub<Topics> {
  const byTopic = new Map<keyof Topics, Set<Listener<never>>>()

  return {
    publish(topic, payload, audience) {
      const set = byTopic.get(topic)
      if (!set) return
      for (const listener of set) {
        try {
          ;(listener as Listener<typeof payload>)(payload, audience)
        } catch (err) {
          onError(err)
        }
      }
    },
    subscribe(topic, listener) {
      let set = byTopic.get(topic)
      if (!set) {
        set = new Set()
        byTopic.set(topic, set)
      }
      const entry = listener as Listener<never>
      set.add(entry)
      return () => {
        set.delete(entry)
        if (set.size === 0 && byTopic.get(topic) === set) byTopic.delete(topic)
      }
    },
    listeners: (topic) => byTopic.get(topic)?.size ?? 0,
  }
}

/** Whether a user with these folder grants is in the audience. */
export function inAudience(
  audience: Audience | undefined,
  userId: number,
  folderIds: readonly number[],
): boolean {
  if (!audience) return true
  if (audience.userIds && !audience.userIds.includes(userId)) return false
  if (audience.folderIds && !audience.folderIds.some((f) => folderIds.includes(f))) return false
  return true
}
