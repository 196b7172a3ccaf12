import type { Principal } from '../../accounts/index.ts'
import {
  COMMAND_ACTIONS,
  type DevicePort,
  type DeviceSession,
  type Devices,
  LIVE_TOPICS,
  type LiveTopic,
} from '../../devices/index.ts'
import { DomainError } from '../../lib/errors.ts'
import type { Logger } from '../../lib/logger.ts'
import type { SocketListener, SocketPeer } from '../../platform/websocket.ts'
import type { Metrics } from '../metrics.ts'
import type { Encoder } from './encode.ts'
import {
  CLIENT_FRAME_TYPES,
  CLOSE,
  type ClientFrameType,
  type ErrorCode,
  PROTOCOL_VERSION,
  type ServerFrame,
} from './frames.ts'
import { frameHandlers, type HandlerScope } from './handlers.ts'
import { createBucket } from './rate.ts'

// One device-channel connection: the checks every frame passes (rate, size, JSON, type) before its
// handler runs, the heartbeat, and cleanup. Every failure is an error frame on this connection alone.

export interface SocketLimits {
  /** Largest frame handled; a larger one gets `too_large` (4× this closes the socket outright, 1009). */
  maxFrameBytes: number
  framesPerSecond: number
  burst: number
  /** Ping interval; a connection silent for two of them is dead. */
  heartbeatMs: number
  /** Connections of one user at once, registered as devices or not. */
  connectionsPerUser: number
}

export interface ConnectionAuth {
  principal: Principal
  /** Looks the credential up again: null once the session or token has ended. */
  refresh: () => Principal | null | Promise<Principal | null>
  address: string | undefined
}

export interface SocketContext {
  devices: Devices
  limits: SocketLimits
  log: Logger
  metrics: Metrics
  encode: Encoder
  closed(conn: Connection): void
}

export interface Connection extends SocketListener {
  readonly userId: number
  heartbeat(now: number): void
}

export function openConnection(ctx: SocketContext, peer: SocketPeer, auth: ConnectionAuth): Connection {
  const { limits, metrics } = ctx
  let principal = auth.principal
  let lastAlive = Date.now()
  let session: DeviceSession | undefined
  let closed = false
  const subscriptions = new Map<LiveTopic, () => void>()
  const bucket = createBucket(limits.framesPerSecond, limits.burst, lastAlive)

  const sendText = (text: string) => {
    if (!closed) peer.send(text)
  }
  const send = (frame: ServerFrame) => sendText(JSON.stringify(frame))
  const fail = (code: ErrorCode, message: string, extra: { ref?: string; field?: string } = {}) =>
    send({ type: 'error', code, message, ...extra })

  function cleanup(): void {
    if (closed) return
    closed = true
    for (const stop of subscriptions.values()) stop()
    subscriptions.clear()
    session?.disconnect()
    ctx.closed(conn)
  }
  function end(code: number, reason: string): void {
    if (closed) return
    cleanup()
    peer.close(code, reason)
  }

  const port: DevicePort = {
    deliver: (m) => sendText(ctx.encode.message(m)),
    end: (reason, message) => end(reason === 'replaced' ? CLOSE.replaced : CLOSE.forgotten, message),
  }

  function failWith(err: unknown, ref: string | undefined): void {
    if (!(err instanceof DomainError)) {
      ctx.log.error({ err, user: principal.username }, 'device channel: unexpected error')
      fail('internal', 'an unexpected error occurred; the server log has the details', { ref })
      return
    }
    const d = err.details ?? {}
    send({
      type: 'error',
      code: err.kind,
      message: err.message,
      ref,
      ...(typeof d.field === 'string' ? { field: d.field } : {}),
      ...(err.kind === 'conflict' && d.state ? { state: d.state as never } : {}),
    })
  }

  const scope: HandlerScope = {
    devices: ctx.devices,
    metrics,
    encode: ctx.encode,
    port,
    address: auth.address,
    subscriptions,
    principal: () => principal,
    session: () => session,
    setSession: (s) => {
      session = s
    },
    send,
    sendText,
    fail,
    failWith,
    end,
  }
  const handlers = frameHandlers(scope)

  function dispatch(data: string | Uint8Array, t: number) {
    if (typeof data !== 'string')
      return fail('invalid', 'frames are JSON text; binary frames are not accepted')
    // A string's UTF-8 size is at most three bytes per UTF-16 unit: most frames skip the count.
    const bytes = data.length * 3 <= limits.maxFrameBytes ? data.length : Buffer.byteLength(data)
    if (bytes > limits.maxFrameBytes)
      return fail('too_large', `frames are limited to ${limits.maxFrameBytes} bytes; this one has ${bytes}`)
    let raw: unknown
    try {
      raw = JSON.parse(data)
    } catch (err) {
      metrics.socketFrames.inc({ type: 'malformed' })
      return fail('invalid', `malformed JSON: ${(err as Error).message.slice(0, 200)}`)
    }
    const frame = raw as Record<string, unknown> & { type: string }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof frame.type !== 'string')
      return fail('invalid', 'a frame is a JSON object with a string "type"')
    const ref = typeof frame.id === 'string' && frame.id.length <= 64 ? frame.id : undefined
    // Own keys only: a "type" of "constructor" or "__proto__" must not find a handler.
    if (!Object.hasOwn(handlers, frame.type)) {
      metrics.socketFrames.inc({ type: 'unknown' })
      const known = CLIENT_FRAME_TYPES.join(', ')
      return fail('unknown_type', `unknown frame type "${frame.type.slice(0, 40)}"; known: ${known}`, { ref })
    }
    metrics.socketFrames.inc({ type: frame.type })
    try {
      handlers[frame.type as ClientFrameType](frame, ref, t)
    } catch (err) {
      failWith(err, ref)
    }
  }

  const conn: Connection = {
    userId: principal.userId,
    message(data) {
      if (closed) return
      const t = Date.now()
      lastAlive = t
      if (bucket.take(t)) return dispatch(data, t)
      metrics.socketFrames.inc({ type: 'flood' })
      fail('rate_limited', `more than ${limits.framesPerSecond} frames a second (bursts of ${limits.burst})`)
      end(CLOSE.flood, 'too many frames')
    },
    pong() {
      lastAlive = Date.now()
    },
    close() {
      cleanup()
    },
    heartbeat(t) {
      if (closed) return
      if (t - lastAlive > 2 * limits.heartbeatMs) {
        // Two pings unanswered: the peer is gone (lid closed, network dropped); no handshake to wait for.
        cleanup()
        peer.terminate()
        return
      }
      Promise.resolve()
        .then(() => auth.refresh())
        .then(
          (p) => {
            if (p) principal = p
            else end(CLOSE.credentialsEnded, 'the session or token this connection used has ended')
          },
          (err) => ctx.log.error({ err }, 'device channel: re-checking credentials failed'),
        )
      peer.ping()
    },
  }

  send({
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    serverTime: Date.now(),
    heartbeatMs: limits.heartbeatMs,
    limits: {
      maxFrameBytes: limits.maxFrameBytes,
      framesPerSecond: limits.framesPerSecond,
      burst: limits.burst,
    },
    user: { id: principal.userId, username: principal.username },
    frames: CLIENT_FRAME_TYPES,
    actions: COMMAND_ACTIONS,
    topics: LIVE_TOPICS,
  })
  return conn
}
