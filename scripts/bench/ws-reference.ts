// The reference for devices.bench.ts: a bare Bun WebSocket server doing the same fan-out as the
// device channel with nothing else — no authentication, validation, versions or SQLite. Each
// socket joins a group (?group=N); a command frame from one member bumps the group's version and
// one JSON text goes to every member, as the device channel sends a state to a user's devices.
// Prints {"port": N} once listening.
type Data = { group: string }
const groups = new Map<string, { version: number; members: Set<Bun.ServerWebSocket<Data>> }>()

const server = Bun.serve<Data>({
  port: 0,
  hostname: '127.0.0.1',
  fetch(req, srv) {
    const group = new URL(req.url).searchParams.get('group') ?? '0'
    return srv.upgrade(req, { data: { group } }) ? undefined : new Response('upgrade only', { status: 426 })
  },
  websocket: {
    idleTimeout: 0,
    sendPings: false,
    open(ws) {
      let g = groups.get(ws.data.group)
      if (!g) {
        g = { version: 0, members: new Set() }
        groups.set(ws.data.group, g)
      }
      g.members.add(ws)
      ws.send(JSON.stringify({ type: 'hello' }))
    },
    message(ws, message) {
      const g = groups.get(ws.data.group)
      if (!g) return
      const command = JSON.parse(String(message)) as { volume?: number }
      g.version++
      // The same fields (and so about the same bytes) as the device channel's playback state.
      const now = Date.now()
      const state = {
        version: g.version,
        activeDeviceId: '6f1c2a9e-3b7d-4e21-9a55-0c8b7e4d2f13',
        queue: [1, 2, 3, 4, 5],
        index: 0,
        trackId: 1,
        positionMs: 0,
        observedAt: now,
        playing: true,
        volume: command.volume ?? 0,
        shuffle: false,
        order: null,
        repeat: 'off',
        changedBy: '6f1c2a9e-3b7d-4e21-9a55-0c8b7e4d2f13',
        changedAt: now,
        transfer: null,
      }
      const text = JSON.stringify({ type: 'state', state, serverTime: Date.now() })
      for (const member of g.members) member.send(text)
    },
    close(ws) {
      groups.get(ws.data.group)?.members.delete(ws)
    },
  },
})
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
