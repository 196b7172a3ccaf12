// A minimal device for the browser test and the handoff benchmark: a page that signs in with the
// session cookie, syncs its clock, registers as a device on the device channel and plays the
// state it is given through an <audio> element. It is served, with a generated WAV, by a small
// fetch handler in front of the real app on the same origin — the way the web player will run.
import { type TestApp, testApp } from '../../src/api/testing.ts'
import { socketTransport } from '../../src/api/ws/sockets.ts'
import { demoAlbums } from '../../src/demo/index.ts'
import { renderTrackWav } from '../../src/demo/synth/render.ts'
import { type HttpServer, serveHttp } from '../../src/platform/serve.ts'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The devices start audio when the server says so, with no click on the page.
  '--autoplay-policy=no-user-gesture-required',
]

// Runs in the browser. `log` records what the speaker did, on the page's own clock and the
// server's; `frames` what the channel said.
const DEVICE_SCRIPT = `
const params = new URLSearchParams(location.search)
const id = params.get('id')
const audio = document.querySelector('audio')
const log = (window.deviceLog = [])
const frames = (window.frames_ = [])
let offset = 0
let state = null
const serverNow = () => Date.now() + offset
const ws = new WebSocket('ws://' + location.host + '/api/ws', ['tonearm.v1'])
const send = (f) => ws.send(JSON.stringify(f))
const pings = []

function report(playing) {
  if (!state) return
  send({ type: 'report', version: state.version, playing, positionMs: audio.currentTime * 1000, at: serverNow() })
}
function apply(s) {
  state = s
  if (s.activeDeviceId === id && s.playing && s.trackId !== null) {
    const src = '/audio/' + s.trackId + '.wav'
    if (!audio.src.endsWith(src)) audio.src = src
    // Where the music is now: the observed position plus the time since, on the server's clock.
    audio.currentTime = (s.positionMs + (serverNow() - s.observedAt)) / 1000
    audio.play()
  } else if (!audio.paused) audio.pause()
}
audio.addEventListener('playing', () => {
  log.push({ kind: 'started', at: Date.now(), serverAt: serverNow(), position: audio.currentTime })
  report(true)
})
audio.addEventListener('pause', () => {
  log.push({ kind: 'stopped', at: Date.now(), serverAt: serverNow(), position: audio.currentTime })
  report(false)
})
ws.onmessage = (e) => {
  const f = JSON.parse(e.data)
  frames.push(f)
  if (f.type === 'hello') send({ type: 'ping', t0: Date.now() })
  if (f.type === 'pong') {
    const t3 = Date.now()
    pings.push({ rtt: t3 - f.t0 - (f.t2 - f.t1), offset: (f.t1 - f.t0 + (f.t2 - t3)) / 2 })
    if (pings.length < 5) return send({ type: 'ping', t0: Date.now() })
    // NTP's rule: the sample with the shortest round trip has the least asymmetry.
    offset = pings.sort((a, b) => a.rtt - b.rtt)[0].offset
    send({ type: 'register', device: { id, name: params.get('name'), kind: 'browser', capabilities: ['audio', 'volume'] } })
  }
  if (f.type === 'registered') window.registered = true
  if (f.type === 'registered' || f.type === 'state' || (f.type === 'error' && f.state)) apply(f.state)
}
window.command = (action, args) => send({ type: 'command', action, baseVersion: state.version, ...args })
`

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>device</title></head>
<body><audio preload="auto"></audio><script>${DEVICE_SCRIPT}</script></body></html>`

function wavResponse(req: Request, bytes: Uint8Array<ArrayBuffer>): Response {
  const headers = { 'content-type': 'audio/wav', 'accept-ranges': 'bytes' }
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get('range') ?? '')
  if (!m) return new Response(bytes, { headers })
  const start = Number(m[1])
  const end = m[2] ? Math.min(Number(m[2]), bytes.length - 1) : bytes.length - 1
  return new Response(bytes.subarray(start, end + 1), {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}` },
  })
}

export interface DeviceRig {
  t: TestApp
  server: HttpServer
  url: string
  user: { id: number; token: string }
  close(): Promise<void>
}

/** The real app plus the device page and a generated 40 s WAV, on one loopback origin. */
export async function startDeviceRig(): Promise<DeviceRig> {
  const t = await testApp()
  const user = await t.user('listener')
  const music = demoAlbums[0]?.discs[0]?.[0]?.music
  if (!music) throw new Error('the demo catalog has no first track')
  const wav = new Uint8Array(renderTrackWav(music, 40))
  const server = await serveHttp(
    (req, info) => {
      const path = new URL(req.url).pathname
      if (path === '/device') return new Response(PAGE, { headers: { 'content-type': 'text/html' } })
      if (path.startsWith('/audio/')) return wavResponse(req, wav)
      return t.app.fetch(req, info)
    },
    { port: 0, host: '127.0.0.1', websocket: socketTransport() },
  )
  return {
    t,
    server,
    url: `http://127.0.0.1:${server.port}`,
    user,
    async close() {
      await server.stop()
      t.close()
    },
  }
}
