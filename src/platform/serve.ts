import { type IncomingMessage, STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { isBun } from './runtime.ts'
import {
  bunSocketHandler,
  bunUpgrade,
  closePeers,
  nodeSockets,
  type PeerSet,
  type SocketOptions,
  type Upgrade,
} from './websocket.ts'

/** What the HTTP layer learns from the socket; Hono sees it as `c.env`. */
export interface ConnectionInfo {
  remoteAddress?: string
  /** Present on WebSocket upgrade requests: accepts the upgrade (see websocket.ts). */
  upgrade?: Upgrade
}

type Fetch = (req: Request, info: ConnectionInfo) => Response | Promise<Response>

export interface HttpServer {
  /** The bound port (the real one when 0 was asked for). */
  port: number
  /** Close WebSockets, stop accepting connections, and resolve once in-flight requests have finished. */
  stop(): Promise<void>
}

export interface ServeOptions {
  port: number
  host: string
  websocket?: Partial<SocketOptions>
  /** Told of a response that failed after the app returned it (e.g. its file vanished). */
  onError?: (err: Error) => void
}

const SOCKET_DEFAULTS: SocketOptions = {
  maxPayloadBytes: 1024 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  onError: () => {},
}

const isUpgrade = (value: string | null | undefined) => value?.toLowerCase() === 'websocket'

// Bun.serve under Bun, node:http through @hono/node-server under Node; both take a web-standard fetch.
export async function serveHttp(fetch: Fetch, opts: ServeOptions): Promise<HttpServer> {
  const sockets = { ...SOCKET_DEFAULTS, ...opts.websocket }
  return isBun ? serveBun(fetch, opts, sockets) : serveNode(fetch, opts, sockets)
}

function serveBun(fetch: Fetch, opts: ServeOptions, sockets: SocketOptions): HttpServer {
  const peers: PeerSet = new Set()
  // Bun.serve throws synchronously (EADDRINUSE) when the port is taken, which the caller reports.
  const server = Bun.serve({
    fetch: (req, srv) => fetch(req, new BunConnection(req, srv)),
    websocket: bunSocketHandler(sockets, peers),
    port: opts.port,
    hostname: opts.host,
    idleTimeout: 60,
    // Without both, Bun answers a failed response with its developer page: a stack trace and the
    // file's path on disk, given to whoever asked.
    development: false,
    error: (err) => {
      opts.onError?.(err)
      return failedResponse(err)
    },
  })
  return {
    port: server.port ?? opts.port,
    stop: async () => {
      await closePeers(peers)
      await server.stop(false)
    },
  }
}

/**
 * A response the app built but Bun could not send. A file body is opened only when it is sent, so
 * a file removed in between (the audio cache evicting it, a rescan deleting it) fails here.
 */
export function failedResponse(err: Error): Response {
  // What vanished is usually a cache file that the next request rebuilds, so say "again", not
  // "gone": players retry a 503 with Retry-After, where a 404 ends playback.
  const gone = (err as NodeJS.ErrnoException).code === 'ENOENT'
  const status = gone ? 503 : 500
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  }
  if (gone) headers['retry-after'] = '1'
  const problem = {
    type: 'about:blank',
    title: STATUS_CODES[status],
    status,
    detail: gone ? 'the file was removed while it was being sent; ask again' : 'the response failed',
    code: gone ? 'unavailable' : 'internal',
  }
  return Response.json(problem, { status, headers })
}

/**
 * Worked out only when the app asks, while it still handles the request: requestIP() was 4% of
 * the server's CPU samples while it answered cached segments, which never need the address.
 * Getters on a class rather than on an object literal made per request.
 */
class BunConnection implements ConnectionInfo {
  constructor(
    private readonly req: Request,
    private readonly srv: Bun.Server<unknown>,
  ) {}
  get remoteAddress() {
    return this.srv.requestIP(this.req)?.address
  }
  get upgrade() {
    return isUpgrade(this.req.headers.get('upgrade')) ? bunUpgrade(this.srv, this.req) : undefined
  }
}

async function serveNode(fetch: Fetch, opts: ServeOptions, sockets: SocketOptions): Promise<HttpServer> {
  const { createAdaptorServer } = await import('@hono/node-server')
  const peers: PeerSet = new Set()
  const ws = await nodeSockets(sockets, peers)
  const server = createAdaptorServer({
    fetch: (req: Request, env: { incoming: { socket: { remoteAddress?: string } } }) =>
      fetch(req, { remoteAddress: env.incoming.socket.remoteAddress }),
  })
  // Upgrades skip node:http's request handler; route them through the same fetch, so the app
  // authenticates and answers them like any request, and only an accepted one becomes a socket.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    let upgraded = false
    const upgrade = ws.upgrade(req, socket, head)
    const info: ConnectionInfo = {
      remoteAddress: req.socket.remoteAddress,
      upgrade: isUpgrade(req.headers.upgrade)
        ? (accept, o) => {
            upgraded = upgrade(accept, o)
            return upgraded
          }
        : undefined,
    }
    Promise.resolve()
      .then(() => fetch(upgradeRequest(req), info))
      .then(async (res) => {
        if (!upgraded) await writeResponse(socket, res)
      })
      .catch((err) => {
        sockets.onError(err)
        if (!upgraded)
          socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    stop: async () => {
      await closePeers(peers)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      })
    },
  }
}

// An upgrade request has no body, so the method, URL and headers are the whole of it.
function upgradeRequest(req: IncomingMessage): Request {
  if (!req.url?.startsWith('/')) throw new Error(`unusable request target ${String(req.url).slice(0, 100)}`)
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers })
}

// A refused upgrade gets the application's full answer (status, headers, problem body), then the
// connection closes: the socket was never going to carry HTTP/1.1 keep-alive after an upgrade.
async function writeResponse(socket: Duplex, res: Response): Promise<void> {
  const body = Buffer.from(await res.arrayBuffer())
  const lines = [`HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? 'Error'}`]
  res.headers.forEach((value, key) => {
    if (!['content-length', 'transfer-encoding', 'connection'].includes(key)) lines.push(`${key}: ${value}`)
  })
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '')
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]))
}
