// A token bucket per connection: `burst` frames at once, refilled at `perSecond`. Cheap enough to
// run on every frame, and it lets a client's reconnect flurry (register, clock-sync pings,
// subscribe) through while stopping a flood.
export interface Bucket {
  take(now: number): boolean
}

export function createBucket(perSecond: number, burst: number, start: number): Bucket {
  let tokens = burst
  let last = start
  return {
    take(now) {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond)
      last = now
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}
