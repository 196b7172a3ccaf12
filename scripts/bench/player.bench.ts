// The web player, measured in Debian's Chromium against the real server on loopback:
// - first-load size: what the browser fetches to show the first page (gzip as served, and brotli),
//   and with hls.js, which is fetched on the first play; reference: the full hls.js build alone,
//   the size a player that bundles it eagerly starts from.
// - click to sound: from the click on a track to the element's `playing` event, for tracks the
//   server has never cut (cold) and tracks already played (cached); reference: a bare <audio>
//   playing the same track's original file (the browser's own progressive playback).
// - the gap at a track change: from one track's `ended` to the next one's `playing`, as the
//   player changes decks; reference: one <audio> element that loads the next file when the
//   first ends (what a player without preloading does).
// Goals: first load < 150 KB compressed, < 300 ms to sound for a cached track, < 50 ms gap.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { launchBrowser, openAlbum, signIn } from '../../tests/helpers/browser.ts'
import { startDemoServer } from '../../tests/helpers/library.ts'
import { ROOT, removeDir } from '../../tests/helpers/server.ts'
import { against, emit, median, type Result, result } from './lib.ts'

const say = (line: string) => process.stderr.write(`player bench: ${line}\n`)
const kb = (n: number) => +(n / 1024).toFixed(1)

const { server, data } = await startDemoServer()
const browser = await launchBrowser()
const results: Result[] = []

try {
  // --- first load: every same-origin file the sign-in page fetches, at the size it travels ---
  const first = await browser.newContext()
  const page0 = await first.newPage()
  const fetched = new Set<string>()
  page0.on('request', (r) => {
    const u = new URL(r.url())
    if (u.origin === server.url && !u.pathname.startsWith('/api/')) fetched.add(u.pathname)
  })
  await page0.goto(server.url)
  await page0.getByRole('button', { name: 'Sign in' }).waitFor()
  await page0.waitForLoadState('networkidle')
  await first.close()
  let gz = 0
  let br = 0
  let raw = 0
  for (const path of fetched) {
    const res = await fetch(`${server.url}${path}`, {
      headers: { 'accept-encoding': 'gzip', accept: path === '/' ? 'text/html' : '*/*' },
      decompress: false,
    } as RequestInit)
    const wire = new Uint8Array(await res.arrayBuffer())
    const body = res.headers.get('content-encoding') === 'gzip' ? Bun.gunzipSync(wire) : wire
    raw += body.length
    gz += wire.length
    br += brotliCompressSync(body).length
  }
  say(
    `first load: ${[...fetched].join(' ')} — ${kb(raw)} KB raw, ${kb(gz)} KB as served (gzip), ${kb(br)} KB brotli`,
  )
  const dist = join(ROOT, 'dist', 'web')
  const embedded = readFileSync(join(ROOT, 'src', 'webapp', 'embedded.gen.ts'), 'utf8')
  const chunks = [...embedded.matchAll(/'\/(chunk-[^']+\.js)'/g)].map((m) => m[1] as string)
  const hlsChunk = chunks
    .map((c) => readFileSync(join(dist, c)))
    .sort((a, b) => b.length - a.length)[0] as Buffer
  const hlsGz = gzipSync(hlsChunk, { level: 9 }).length
  const hlsBr = brotliCompressSync(hlsChunk).length
  const fullHls = readFileSync(join(ROOT, 'node_modules', 'hls.js', 'dist', 'hls.min.js'))
  const fullHlsGz = result('hls.js full build (gzip)', 'KB', [kb(gzipSync(fullHls, { level: 9 }).length)])
  results.push(
    against(result('first load, gzip as served', 'KB', [kb(gz)]), fullHlsGz),
    result('first load, brotli', 'KB', [kb(br)]),
    against(result('first load + hls.js (fetched at first play), gzip', 'KB', [kb(gz + hlsGz)]), fullHlsGz),
    result('first load + hls.js, brotli', 'KB', [kb(br + hlsBr)]),
  )

  // --- click to sound and gaps, in one signed-in page ---
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await signIn(page, server.url)

  /** Click a track's title and time the click to `playing` by the page's own marks. */
  async function clickToSound(p: Page, trackTitle: string): Promise<number> {
    await p.evaluate(() => performance.clearMarks())
    await p.getByRole('button', { name: trackTitle, exact: true }).click()
    const handle = await p.waitForFunction(
      () => {
        const req = performance.getEntriesByName('tonearm:play-request').at(-1)
        const on = performance
          .getEntriesByName('tonearm:playing')
          .find((m) => req && m.startTime > req.startTime)
        return req && on ? on.startTime - req.startTime : null
      },
      null,
      { timeout: 30_000, polling: 5 },
    )
    const ms = (await handle.jsonValue()) as number
    await p.getByRole('button', { name: 'Pause' }).click()
    return ms
  }

  const albums: [string, string[]][] = [
    ['Lumière du Soir', ['Rue des Étoiles', 'Crème Brûlée', 'Déjà Vu à Montréal']],
    ['Polar Drift', ['Midnight Sun', 'Fjord Lights', 'Øresund Bridge', 'Polar Drift']],
    ['夜明けの音', ['朝霧 (Asagiri)', 'Sakura Drift', '静かな海']],
    ['Tonearm Sampler, Vol. 1', ['Petit Matin', '月の光', 'Neon Fjord']],
  ]
  // Load hls.js once first, so cold samples time the server, not the first download of the player;
  // with the album's last track, so nothing is preloaded behind it.
  await openAlbum(page, 'Lumière du Soir')
  const warmup = await clickToSound(page, 'Déjà Vu à Montréal')
  say(`first click in a fresh page (fetches hls.js too; cold track): ${warmup.toFixed(0)} ms`)
  // Last track first: playing a track preloads the one after it, which would then not be cold
  // (nor time a load at all); in reverse order the preloaded one is always one already measured.
  const cold: number[] = []
  for (const [album, titles] of albums) {
    await openAlbum(page, album)
    for (const t of [...titles].reverse())
      if (t !== 'Déjà Vu à Montréal') cold.push(await clickToSound(page, t))
  }
  const cached: number[] = []
  for (let round = 0; round < 2; round++)
    for (const [album, titles] of albums) {
      await openAlbum(page, album)
      for (const t of [...titles].reverse()) cached.push(await clickToSound(page, t))
    }
  say(`cold ${cold.map((x) => x.toFixed(0)).join(' ')}; cached ${cached.map((x) => x.toFixed(0)).join(' ')}`)

  // Reference: the browser's own progressive playback of the same (cached) originals.
  const tracks = (await (await server.api('/api/tracks?limit=100')).json()) as { items: { id: number }[] }
  const native: number[] = []
  for (const { id } of [...tracks.items, ...tracks.items]) {
    const info = (await (await server.api(`/api/tracks/${id}/play`, { method: 'POST' })).json()) as {
      progressive: string
    }
    native.push(
      await page.evaluate(async (src) => {
        const a = new Audio()
        const t0 = performance.now()
        const playing = new Promise((r) => a.addEventListener('playing', r, { once: true }))
        a.src = src
        await a.play()
        await playing
        const ms = performance.now() - t0
        a.pause()
        a.removeAttribute('src')
        a.load()
        return ms
      }, info.progressive),
    )
  }
  const nativeResult = result('bare <audio>, original file', 'ms', native)
  results.push(
    against(result('click to sound, cold track (server cuts the first segment)', 'ms', cold), nativeResult),
    against(result('click to sound, cached track', 'ms', cached), nativeResult),
    result('first click in a fresh page (hls.js fetched, cold track)', 'ms', [warmup]),
  )

  // --- gaps: let albums play through; every automatic change is one sample ---
  await page.evaluate(() => performance.clearMeasures())
  for (const [album, titles] of albums) {
    await openAlbum(page, album)
    await page.getByRole('button', { name: titles[0] as string, exact: true }).click()
    const last = titles.at(-1) as string
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid=now-title]')?.textContent === t,
      last,
      {
        timeout: 60_000,
      },
    )
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-active]')?.ended,
      null,
      {
        timeout: 30_000,
      },
    )
  }
  const gaps = await page.evaluate(() => performance.getEntriesByName('tonearm:gap').map((m) => m.duration))

  // Reference: one element, the next file loaded when the previous ends.
  const urls: string[] = []
  for (const { id } of tracks.items.slice(0, 6)) {
    const info = (await (await server.api(`/api/tracks/${id}/play`, { method: 'POST' })).json()) as {
      progressive: string
    }
    urls.push(info.progressive)
  }
  const naive = await page.evaluate(async (list) => {
    const a = new Audio()
    const out: number[] = []
    for (const [i, src] of list.entries()) {
      const ended = performance.now()
      a.src = src
      await new Promise((r) => {
        a.addEventListener('playing', r, { once: true })
        void a.play()
      })
      if (i > 0) out.push(performance.now() - ended)
      // Jump to near the end rather than wait the whole track.
      a.currentTime = Math.max(0, a.duration - 0.3)
      await new Promise((r) => a.addEventListener('ended', r, { once: true }))
    }
    return out
  }, urls)
  results.push(
    against(
      result('gap at a track change (ended → next playing)', 'ms', gaps),
      result('one element, load on ended', 'ms', naive),
    ),
  )
  say(`gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}; naive ${naive.map((g) => g.toFixed(1)).join(' ')}`)
  say(
    `medians: cold ${median(cold).toFixed(0)} ms, cached ${median(cached).toFixed(0)} ms, native ${median(native).toFixed(0)} ms, gap ${median(gaps).toFixed(1)} ms`,
  )
  await context.close()
} finally {
  await browser.close()
  await server.stop()
  removeDir(data)
}
emit(results)
