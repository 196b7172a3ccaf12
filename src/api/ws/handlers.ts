import { hasScope, type Principal } from '../../accounts/index.ts'
import {
  COMMAND_ACTIONS,
  type DevicePort,
  type DeviceSession,
  type Devices,
  inAudience,
  type LiveTopic,
} from '../../devices/index.ts'
import { DomainError, forbidden, invalid } from '../../lib/errors.ts'
import type { Metrics } from '../metrics.ts'
import type { Encoder } from './encode.ts'
import {
  CLOSE,
  type ClientFrame,
  type ClientFrameType,
  clientFrames,
  type ErrorCode,
  type ServerFrame,
} from './frames.ts'

// What each client frame does. A handler validates its frame, calls the domain, and answers;
// thrown domain errors become error frames in connection.ts.

/** The parts of one connection the handlers work with. */
export interface HandlerScope {
  devices: Devices
  metrics: Metrics
  encode: Encoder
  port: DevicePort
  address: string | undefined
  subscriptions: Map<LiveTopic, () => void>
  principal(): Principal
  session(): DeviceSession | undefined
  setSession(s: DeviceSession): void
  send(frame: ServerFrame): void
  sendText(text: string): void
  fail(code: ErrorCode, message: string, extra?: { ref?: string; field?: string }): void
  failWith(err: unknown, ref: string | undefined): void
  end(code: number, reason: string): void
}

export type Handler = (raw: Record<string, unknown>, ref: string | undefined, receivedAt: number) => void

function read<T extends ClientFrameType>(type: T, raw: unknown): ClientFrame<T> {
  const r = clientFrames[type].safeParse(raw)
  if (r.success) return r.data as ClientFrame<T>
  const issue = r.error.issues[0]
  const field = issue?.path.join('.') || type
  const message =
    issue?.code === 'unrecognized_keys' ? `${issue.keys.join(', ')} is not a known field` : issue?.message
  throw invalid(`${field}: ${message ?? 'invalid'}`, { field })
}

export function frameHandlers(c: HandlerScope): Record<ClientFrameType, Handler> {
  const requireWrite = () => {
    if (!hasScope(c.principal(), 'write'))
      throw forbidden('this token lacks the write scope needed to change playback')
  }
  const requireSession = (ref: string | undefined): DeviceSession | undefined => {
    const s = c.session()
    if (!s)
      c.fail('not_registered', 'register this connection as a device first (a "register" frame)', { ref })
    return s
  }

  return {
    ping(raw, ref, receivedAt) {
      const f = read('ping', raw)
      c.send({ type: 'pong', ref, t0: f.t0, t1: receivedAt, t2: Date.now() })
    },

    register(raw, ref) {
      const current = c.session()
      if (current) throw invalid(`this connection is already registered as device ${current.device.id}`)
      requireWrite()
      const f = read('register', raw)
      const p = c.principal()
      try {
        const r = c.devices.connect(p.userId, f.device, c.port, { username: p.username, address: c.address })
        c.setSession(r.session)
        const { state, devices } = r
        c.send({ type: 'registered', ref, device: r.session.device, state, devices, serverTime: Date.now() })
      } catch (err) {
        c.failWith(err, ref)
        if (err instanceof DomainError && err.kind === 'forbidden')
          c.end(CLOSE.foreignDevice, 'device id of another account')
        if (err instanceof DomainError && err.kind === 'busy') c.end(CLOSE.tryAgainLater, 'too many devices')
      }
    },

    command(raw, ref) {
      const s = requireSession(ref)
      if (!s) return
      const action = raw.action
      if (!(COMMAND_ACTIONS as readonly unknown[]).includes(action)) {
        const name = typeof action === 'string' ? `"${action.slice(0, 40)}"` : '(none given)'
        const known = COMMAND_ACTIONS.join(', ')
        return c.fail('unknown_command', `unknown command ${name}; known: ${known}`, { ref, field: 'action' })
      }
      requireWrite()
      const { type: _type, id: _id, baseVersion, ...command } = read('command', raw)
      try {
        const state = s.command(command, baseVersion)
        c.metrics.deviceCommands.inc({ action: command.action, outcome: 'ok' })
        if (ref) c.send({ type: 'ack', ref, version: state.version })
      } catch (err) {
        const outcome = err instanceof DomainError ? err.kind : 'error'
        c.metrics.deviceCommands.inc({ action: command.action, outcome })
        throw err
      }
    },

    report(raw, ref) {
      const s = requireSession(ref)
      if (!s) return
      const { type: _type, id: _id, ...report } = read('report', raw)
      const handoff = s.report(report)
      if (handoff) c.metrics.handoffGap.observe(Math.max(0, handoff.gapMs) / 1000)
    },

    events(raw, ref) {
      const s = requireSession(ref)
      if (!s) return
      requireWrite()
      // The acknowledgement goes out only once the pipeline has the events: a device deletes
      // from its buffer what was acknowledged, so nothing it still holds can be lost.
      s.ingest(read('events', raw).events).then(
        (r) => c.send({ type: 'events-ack', ref, ...r }),
        (err) => c.failWith(err, ref),
      )
    },

    subscribe(raw, ref) {
      for (const topic of read('subscribe', raw).topics) {
        if (c.subscriptions.has(topic)) continue
        const stop = c.devices.hub.subscribe(topic, (payload, audience) => {
          const p = c.principal()
          if (inAudience(audience, p.userId, p.folderIds)) c.sendText(c.encode.live(topic, payload as object))
        })
        c.subscriptions.set(topic, stop)
      }
      c.send({ type: 'subscribed', ref, topics: [...c.subscriptions.keys()] })
    },

    unsubscribe(raw, ref) {
      for (const topic of read('unsubscribe', raw).topics) {
        c.subscriptions.get(topic)?.()
        c.subscriptions.delete(topic)
      }
      c.send({ type: 'subscribed', ref, topics: [...c.subscriptions.keys()] })
    },
  }
}
