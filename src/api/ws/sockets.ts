import type { Devices } from '../../devices/index.ts'
import type { Logger } from '../../lib/logger.ts'
import type { SocketListener, SocketOptions, SocketPeer } from '../../platform/websocket.ts'
import type { Metrics } from '../metrics.ts'
import {
  type Connection,
  type ConnectionAuth,
  openConnection,
  type SocketContext,
  type SocketLimits,
} from './connection.ts'
import { createEncoder } from './encode.ts'

// Every open device-channel connection: counted per user (the limit is checked before upgrading),
// and pinged by one shared heartbeat timer rather than a timer per socket.

export const SOCKET_LIMITS: SocketLimits = {
  maxFrameBytes: 64 * 1024,
  // A device sends a report every few seconds and a person taps a few commands a minute; a
  // reconnect sends a handful of clock-sync pings at once. 50/s with bursts of 100 is far above
  // all of that and far below a flood.
  framesPerSecond: 50,
  burst: 100,
  heartbeatMs: 10_000,
  connectionsPerUser: 100,
}

/** What the platform seam enforces below the application: a hard frame cap and a slow-reader cap. */
export function socketTransport(limits: SocketLimits = SOCKET_LIMITS): Omit<SocketOptions, 'onError'> {
  // A megabyte queued is dozens of full states: a peer that far behind is not reading any more.
  return { maxPayloadBytes: 4 * limits.maxFrameBytes, maxBufferedBytes: 1024 * 1024 }
}

export interface Sockets {
  readonly limits: SocketLimits
  accept(peer: SocketPeer, auth: ConnectionAuth): SocketListener
  count(userId: number): number
  total(): number
}

export function createSockets(deps: {
  devices: Devices
  log: Logger
  metrics: Metrics
  limits?: Partial<SocketLimits>
}): Sockets {
  const limits: SocketLimits = { ...SOCKET_LIMITS, ...deps.limits }
  const conns = new Set<Connection>()
  const perUser = new Map<number, number>()
  let timer: ReturnType<typeof setInterval> | undefined

  const ctx: SocketContext = {
    devices: deps.devices,
    limits,
    log: deps.log,
    metrics: deps.metrics,
    encode: createEncoder(),
    closed(conn) {
      if (!conns.delete(conn)) return
      const n = (perUser.get(conn.userId) ?? 1) - 1
      if (n > 0) perUser.set(conn.userId, n)
      else perUser.delete(conn.userId)
      deps.metrics.socketConnections.dec()
      if (conns.size === 0 && timer) {
        clearInterval(timer)
        timer = undefined
      }
    },
  }

  // A timer callback that throws would take the process down: one bad connection is logged and
  // the others still get their ping.
  function beat(): void {
    const t = Date.now()
    for (const conn of conns) {
      try {
        conn.heartbeat(t)
      } catch (err) {
        deps.log.error({ err }, 'device channel: heartbeat failed')
      }
    }
  }

  return {
    limits,
    accept(peer, auth) {
      const conn = openConnection(ctx, peer, auth)
      conns.add(conn)
      perUser.set(conn.userId, (perUser.get(conn.userId) ?? 0) + 1)
      deps.metrics.socketConnections.inc()
      if (!timer) {
        timer = setInterval(beat, limits.heartbeatMs)
        timer.unref?.()
      }
      return conn
    },
    count: (userId) => perUser.get(userId) ?? 0,
    total: () => conns.size,
  }
}
