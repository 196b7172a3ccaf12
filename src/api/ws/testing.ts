import { request } from 'node:http'

// Test helpers for the device channel: a real WebSocket client that keeps every frame it got, and
// a raw upgrade request that shows the HTTP answer a refused upgrade gets.

export type Frame = { type: string; [k: string]: unknown }

export interface TestSocket {
  ws: WebSocket
  frames: Frame[]
  send(frame: unknown): void
  sendRaw(data: string | Uint8Array): void
  /** The first frame (after `since`, an index into frames) of this type that matches. */
  next(
    type: string,
    match?: (f: Frame) => boolean,
    opts?: { since?: number; timeoutMs?: number },
  ): Promise<Frame>
  /** Sends a frame with an id and waits for the answer that refers to it. */
  ask(frame: Record<string, unknown>, timeoutMs?: number): Promise<Frame>
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

let asked = 0

export async function connect(
  url: string,
  opts: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<TestSocket> {
  const wsUrl = `${url.replace(/^http/, 'ws')}/api/ws`
  // Bun's client takes headers (a browser could not); the DOM typings only know its protocols form.
  const BunWebSocket = WebSocket as unknown as new (url: string, o: Bun.WebSocketOptions) => WebSocket
  const ws = new BunWebSocket(wsUrl, { headers: opts.headers, protocols: opts.protocols ?? [] })
  const frames: Frame[] = []
  const waiters = new Set<() => void>()
  ws.onmessage = (e) => {
    frames.push(JSON.parse(String(e.data)) as Frame)
    for (const w of [...waiters]) w()
  }
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.onclose = (e) => {
      resolve({ code: e.code, reason: e.reason })
      for (const w of [...waiters]) w()
    }
  })
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve()
    ws.onerror = () => reject(new Error(`could not open ${wsUrl}`))
  })

  const next: TestSocket['next'] = (type, match = () => true, o = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = frames.slice(o.since ?? 0).find((f) => f.type === type && match(f))
        if (found) {
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        } else if (ws.readyState === WebSocket.CLOSED) {
          waiters.delete(check)
          clearTimeout(timer)
          reject(new Error(`socket closed before a ${type} frame; got ${JSON.stringify(frames.slice(-3))}`))
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(
          new Error(
            `no ${type} frame within ${o.timeoutMs ?? 3000} ms; got ${JSON.stringify(frames.slice(-3))}`,
          ),
        )
      }, o.timeoutMs ?? 3000)
      waiters.add(check)
      check()
    })

  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next,
    async ask(frame, timeoutMs) {
      const id = `q${++asked}`
      const since = frames.length
      ws.send(JSON.stringify({ ...frame, id }))
      return Promise.race([
        next('error', (f) => f.ref === id, { since, timeoutMs }),
        ...['ack', 'pong', 'registered', 'events-ack', 'subscribed'].map((t) =>
          next(t, (f) => f.ref === id, { since, timeoutMs }),
        ),
      ])
    },
    closed,
    close: () => ws.close(),
  }
}

/** A device registration frame with a fresh random id. */
export function device(name: string, capabilities: string[] = ['audio', 'volume'], id?: string) {
  return { type: 'register', device: { id: id ?? crypto.randomUUID(), name, kind: 'browser', capabilities } }
}

/** Sends an upgrade request over a plain socket and reports the HTTP answer (101 or a refusal). */
export function rawUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(`${url}/api/ws`)
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
        ...headers,
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers })
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}
