import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { CHROMIUM, launchChromium } from './helpers/handoff.ts'
import { demoLibrary } from './helpers/library.ts'
import { fromSource, type Running, removeDir, start, tempDir, waitForHealth } from './helpers/server.ts'

// A share link opened in Debian's Chromium by someone with no account: the page lists the album,
// plays the first track with the media URL the server signs for the owner, and moves on to the
// next track when one ends.

setDefaultTimeout(120_000)

// biome-ignore lint/suspicious/noExplicitAny: bodies are JSON whose shape the assertions check
type Json = Record<string, any>

let data: string
let server: Running
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`)
  data = tempDir()
  server = await start(fromSource, ['--data', data, '--music', await demoLibrary()], { admin: true })
  await waitForHealth(
    server.url,
    (b) => b.components.scanner?.status === 'ok' && b.components.audio?.status === 'ok',
  )
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  removeDir(data)
})

describe('a share link in a browser', () => {
  it('plays the shared album without an account, track after track', async () => {
    const albums = (await (await server.api('/api/albums')).json()) as Json
    const album = albums.items.find((a: Json) => a.name === 'Lumière du Soir')
    const res = await server.api('/api/shares', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ kind: 'album', id: album.id }], description: 'For the road' }),
    })
    expect(res.status).toBe(201)
    const share = (await res.json()) as Json

    const context = await browser.newContext()
    const page = await context.newPage()
    const visit = await page.goto(`${server.url}/share/${share.id}`)
    expect(visit?.status()).toBe(200)
    expect(await page.locator('h1').textContent()).toBe('For the road')
    expect(await page.locator('audio').count()).toBe(3)

    await page.evaluate(() => document.querySelector('audio')?.play())
    await page.waitForFunction(() => (document.querySelector('audio')?.currentTime ?? 0) > 1, null, {
      timeout: 30_000,
    })
    // Near the end of the first track, the page plays the second when the first ends.
    await page.evaluate(() => {
      const first = document.querySelector('audio') as HTMLAudioElement
      first.currentTime = first.duration - 0.5
    })
    await page.waitForFunction(
      () => {
        const [first, second] = [...document.querySelectorAll('audio')]
        return first?.ended && !second?.paused && (second?.currentTime ?? 0) > 0.5
      },
      null,
      { timeout: 30_000 },
    )
    const errors = await page.evaluate(() =>
      [...document.querySelectorAll('audio')].map((a) => a.error?.code ?? null),
    )
    expect(errors).toEqual([null, null, null])
    await context.close()

    const seen = (await (await server.api(`/api/shares/${share.id}`)).json()) as Json
    expect(seen.visitCount).toBe(1)
  })
})
