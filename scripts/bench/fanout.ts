// The client side of devices.bench.ts: many WebSocket clients in groups (a user's devices), and
// a timer from "one member sends a command" to "every member of the group has the new state".

type Frame = { type: string; state?: { version: number } }

export interface Member {
  ws: WebSocket
  group: number
  /** The last state version this member received. */
  version: number
}

export interface Fanout {
  groups: Member[][]
  /** Sends `frame(version)` from one member; resolves with ms until the whole group has the next version. */
  command(group: number, sender: number, frame: (baseVersion: number) => object): Promise<number>
  close(): void
}

export interface Dial {
  url: (group: number) => string
  options: (group: number) => Bun.WebSocketOptions
  /** What to send after the server's first frame (a device registers); nothing for the reference. */
  greet?: (ws: WebSocket, first: Frame) => void
  /** The frame after which a member counts as connected. */
  ready: (f: Frame) => boolean
}

const BunWebSocket = WebSocket as unknown as new (url: string, o: Bun.WebSocketOptions) => WebSocket

/** `checkpoint` runs once `at` members are connected (a memory reading between two settled points). */
export async function openFanout(
  dial: Dial,
  groups: number,
  perGroup: number,
  checkpoint?: { at: number; run: () => Promise<void> },
  batch = 50,
): Promise<Fanout> {
  const members: Member[][] = Array.from({ length: groups }, () => [])
  let pending: {
    group: number
    version: number
    left: number
    t0: number
    done: (ms: number) => void
  } | null = null

  function open(group: number): Promise<Member> {
    return new Promise((resolve, reject) => {
      const ws = new BunWebSocket(dial.url(group), dial.options(group))
      const member: Member = { ws, group, version: 0 }
      let first = true
      const timer = setTimeout(() => reject(new Error('a client did not get ready within 20 s')), 20_000)
      ws.onerror = () => reject(new Error('a client could not connect'))
      ws.onmessage = (e) => {
        const f = JSON.parse(String(e.data)) as Frame
        if (first) {
          first = false
          dial.greet?.(ws, f)
        }
        if (f.state) member.version = Math.max(member.version, f.state.version)
        if (dial.ready(f)) {
          clearTimeout(timer)
          resolve(member)
        }
        const p = pending
        if (
          f.type === 'state' &&
          p &&
          group === p.group &&
          f.state?.version === p.version &&
          --p.left === 0
        ) {
          pending = null
          p.done(performance.now() - p.t0)
        }
      }
    })
  }

  let opened = 0
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < perGroup; i += batch) {
      const n = Math.min(batch, perGroup - i)
      members[g]?.push(...(await Promise.all(Array.from({ length: n }, () => open(g)))))
      opened += n
      if (checkpoint && opened === checkpoint.at) await checkpoint.run()
    }
  }

  return {
    groups: members,
    command(group, sender, frame) {
      const mine = members[group] as Member[]
      const from = mine[sender % mine.length] as Member
      const base = Math.max(...mine.map((m) => m.version))
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`group ${group} did not all get version ${base + 1}`)),
          10_000,
        )
        pending = {
          group,
          version: base + 1,
          left: mine.length,
          t0: performance.now(),
          done: (ms) => {
            clearTimeout(timer)
            resolve(ms)
          },
        }
        from.ws.send(JSON.stringify(frame(base)))
      })
    },
    close() {
      for (const g of members) for (const m of g) m.ws.close()
    },
  }
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number
}
