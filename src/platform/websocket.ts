import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ServerWebSocket, WebSocketHandler } from 'bun'

// The WebSocket half of the HTTP seam. The application sees one shape on both runtimes: a request
// handler calls `upgrade(accept)` from its ordinary fetch handler (so routing, authentication and
// logging apply to upgrades like to any request), and `accept` turns the new socket into a
// listener. Bun serves it natively; Node through the `ws` package on node:http's 'upgrade' event.

/** One open WebSocket, whichever runtime serves it. */
export interface SocketPeer {
  send(text: string): void
  /** Bytes queued but not yet written: a peer that stops reading makes this grow. */
  readonly bufferedAmount: number
  close(code: number, reason: string): void
  /** Drops the connection without a closing handshake (for peers that no longer answer). */
  terminate(): void
  /** A protocol-level ping; every client (browsers included) answers with a pong by itself. */
  ping(): void
}

/** What the application does with one connection. */
export interface SocketListener {
  /** Text frames arrive as strings, binary ones as bytes. */
  message(data: string | Uint8Array): void
  pong(): void
  close(code: number, reason: string): void
}

export type Accept = (peer: SocketPeer) => SocketListener

/** Turns the current request into a WebSocket; false when it is not a valid upgrade request. */
export type Upgrade = (accept: Accept, opts?: { protocol?: string }) => boolean

export interface SocketOptions {
  /** Larger messages close the connection (1009) before the application sees them. */
  maxPayloadBytes: number
  /** A peer with more than this queued is too slow to keep: it is closed rather than buffered for. */
  maxBufferedBytes: number
  /** A listener threw; the connection is dropped and the error reported here. */
  onError: (err: unknown) => void
}

/** Open peers, so stopping the server can close them instead of waiting on them forever. */
export type PeerSet = Set<SocketPeer>

const CLOSE_SHUTDOWN = 1001

function guarded(peer: SocketPeer, opts: SocketOptions, f: () => void): void {
  try {
    f()
  } catch (err) {
    opts.onError(err)
    peer.terminate()
  }
}

/** Closes every open peer (1001), then drops whichever has not finished within `graceMs`. */
export async function closePeers(peers: PeerSet, graceMs = 1000): Promise<void> {
  for (const peer of [...peers]) peer.close(CLOSE_SHUTDOWN, 'server shutting down')
  const deadline = Date.now() + graceMs
  while (peers.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  for (const peer of [...peers]) peer.terminate()
  peers.clear()
}

type BunData = { accept: Accept; peer?: SocketPeer; listener?: SocketListener }

export function bunSocketHandler(opts: SocketOptions, peers: PeerSet): WebSocketHandler<BunData> {
  const wrap = (ws: ServerWebSocket<BunData>): SocketPeer => ({
    send: (text) => void ws.send(text),
    get bufferedAmount() {
      return ws.getBufferedAmount()
    },
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    ping: () => void ws.ping(),
  })
  return {
    maxPayloadLength: opts.maxPayloadBytes,
    // Bun drops sends past this limit; closing instead keeps "delivered or disconnected" true.
    backpressureLimit: opts.maxBufferedBytes,
    closeOnBackpressureLimit: true,
    // Liveness is the application's heartbeat, identical on both runtimes.
    idleTimeout: 0,
    sendPings: false,
    perMessageDeflate: false,
    open(ws) {
      const peer = wrap(ws)
      ws.data.peer = peer
      peers.add(peer)
      guarded(peer, opts, () => {
        ws.data.listener = ws.data.accept(peer)
      })
    },
    message(ws, message) {
      const { peer, listener } = ws.data
      if (!peer || !listener) return
      guarded(peer, opts, () =>
        listener.message(typeof message === 'string' ? message : new Uint8Array(message)),
      )
    },
    pong(ws) {
      const { peer, listener } = ws.data
      if (peer && listener) guarded(peer, opts, () => listener.pong())
    },
    close(ws, code, reason) {
      const { peer, listener } = ws.data
      if (!peer) return
      peers.delete(peer)
      if (listener) guarded(peer, opts, () => listener.close(code, reason))
    },
  }
}

export function bunUpgrade(
  server: { upgrade(req: Request, o: { data: BunData; headers?: Record<string, string> }): boolean },
  req: Request,
): Upgrade {
  return (accept, o = {}) =>
    server.upgrade(req, {
      data: { accept },
      headers: o.protocol ? { 'Sec-WebSocket-Protocol': o.protocol } : undefined,
    })
}

type WsModule = typeof import('ws')
type WsSocket = import('ws').WebSocket

/** Node: the pieces `serve.ts` needs to route 'upgrade' events through the same fetch handler. */
export async function nodeSockets(opts: SocketOptions, peers: PeerSet) {
  const { WebSocketServer } = (await import('ws')) as WsModule
  const protocols = new WeakMap<IncomingMessage, string>()
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayloadBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // Only the subprotocol the application chose is echoed; never a credential offered beside it.
    handleProtocols: (_offered, req) => protocols.get(req) ?? false,
  })

  const wrap = (ws: WsSocket): SocketPeer => ({
    send(text) {
      ws.send(text)
      if (ws.bufferedAmount > opts.maxBufferedBytes) ws.terminate()
    },
    get bufferedAmount() {
      return ws.bufferedAmount
    },
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    ping: () => ws.ping(),
  })

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Upgrade {
    return (accept, o = {}) => {
      if (o.protocol) protocols.set(req, o.protocol)
      wss.handleUpgrade(req, socket, head, (ws) => {
        const peer = wrap(ws)
        peers.add(peer)
        let listener: SocketListener | undefined
        guarded(peer, opts, () => {
          listener = accept(peer)
        })
        ws.on('message', (data: Buffer, isBinary: boolean) => {
          if (listener)
            guarded(peer, opts, () =>
              listener?.message(isBinary ? new Uint8Array(data) : data.toString('utf8')),
            )
        })
        ws.on('pong', () => listener && guarded(peer, opts, () => listener?.pong()))
        ws.on('error', () => ws.terminate())
        ws.on('close', (code: number, reason: Buffer) => {
          peers.delete(peer)
          if (listener) guarded(peer, opts, () => listener?.close(code, reason.toString('utf8')))
        })
      })
      return true
    }
  }

  return { upgrade }
}
