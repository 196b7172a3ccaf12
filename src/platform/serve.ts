import { isBun } from './runtime.ts'

/** What the HTTP layer learns from the socket; Hono sees it as `c.env`. */
export interface ConnectionInfo {
  remoteAddress?: string
}

type Fetch = (req: Request, info: ConnectionInfo) => Response | Promise<Response>

export interface HttpServer {
  /** The bound port (the real one when 0 was asked for). */
  port: number
  /** Stop accepting connections and resolve once in-flight requests have finished. */
  stop(): Promise<void>
}

// Bun.serve under Bun, node:http through @hono/node-server under Node; both take a web-standard fetch.
export async function serveHttp(fetch: Fetch, opts: { port: number; host: string }): Promise<HttpServer> {
  return isBun ? serveBun(fetch, opts) : serveNode(fetch, opts)
}

function serveBun(fetch: Fetch, opts: { port: number; host: string }): HttpServer {
  // Bun.serve throws synchronously (EADDRINUSE) when the port is taken, which the caller reports.
  const server = Bun.serve({
    fetch: (req, srv) => fetch(req, { remoteAddress: srv.requestIP(req)?.address }),
    port: opts.port,
    hostname: opts.host,
    idleTimeout: 60,
  })
  return {
    port: server.port ?? opts.port,
    stop: () => server.stop(false),
  }
}

async function serveNode(fetch: Fetch, opts: { port: number; host: string }): Promise<HttpServer> {
  const { createAdaptorServer } = await import('@hono/node-server')
  const server = createAdaptorServer({
    fetch: (req: Request, env: { incoming: { socket: { remoteAddress?: string } } }) =>
      fetch(req, { remoteAddress: env.incoming.socket.remoteAddress }),
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
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeIdleConnections' in server) server.closeIdleConnections()
      }),
  }
}
