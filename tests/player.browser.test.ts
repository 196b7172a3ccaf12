import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { existsSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  activeAudio,
  CHROMIUM,
  launchBrowser,
  newPlayerContext,
  openAlbum,
  screenshot,
  signIn,
  waitForTime,
} from './helpers/browser.ts'
import { startDemoServer } from './helpers/library.ts'
import { type Running, removeDir } from './helpers/server.ts'

// The web player as a listener uses it, in Debian's Chromium against the real server: sign in,
// browse, play an album through hls.js, seek, skip, change quality, reload and resume, and pin an
// album and a playlist to play them with the server stopped. Screenshots of the main views
// (desktop and phone) go to artifacts/screenshots/. The tests run in order on one page, as one listening session.

setDefaultTimeout(120_000)

let server: Running
let data: string
let browser: Browser
let context: BrowserContext
let page: Page
const problems: string[] = []

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`)
  ;({ server, data } = await startDemoServer())
  browser = await launchBrowser()
  context = await newPlayerContext(browser)
  page = await context.newPage()
  page.on('pageerror', (e) => problems.push(e.message))
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (data) removeDir(data)
})

const title = () => page.getByTestId('now-title').textContent()

type Json = Record<string, unknown>
async function loggedEvents(): Promise<Json[]> {
  const text = await (await server.api('/api/events/stream?from=0&follow=false')).text()
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Json)
}

/** This browser's state in GET /api/stats/now-playing once it is `want`, or the last seen after 5 s. */
async function nowPlayingState(want: string): Promise<string | undefined> {
  let state: string | undefined
  for (let i = 0; i < 50 && state !== want; i++) {
    if (i > 0) await Bun.sleep(100)
    const { items } = (await (await server.api('/api/stats/now-playing')).json()) as {
      items: { deviceId: string; state: string }[]
    }
    state = items.find((x) => x.deviceId.startsWith('web-'))?.state
  }
  return state
}

async function trackId(title: string): Promise<string> {
  const { items } = (await (await server.api('/api/tracks?limit=100')).json()) as {
    items: { id: number; title: string }[]
  }
  return String(items.find((t) => t.title === title)?.id)
}

async function albumId(name: string): Promise<number> {
  const { items } = (await (await server.api('/api/albums?limit=100')).json()) as {
    items: { id: number; name: string }[]
  }
  return items.find((a) => a.name === name)?.id as number
}

describe('the web player in a browser', () => {
  it('signs in and shows the library', async () => {
    await signIn(page, server.url)
    await page.getByRole('list', { name: 'Recently added albums' }).getByRole('link').first().waitFor()
    await screenshot(page, 'home')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Artists' }).click()
    await page.getByRole('link', { name: 'Café Aurora' }).waitFor()
    await screenshot(page, 'artists')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Albums', exact: true })
      .click()
    const covers = page.getByRole('list', { name: 'Albums' }).locator('img.cover')
    await covers.first().waitFor()
    expect(await covers.count()).toBe(4)
    // Every cover loaded (an <img> that failed has no natural width).
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('img.cover')].every((i) => i.naturalWidth > 0),
    )
    await screenshot(page, 'albums')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Genres' }).click()
    await page.getByRole('link', { name: /^Jazz/ }).click()
    const jazz = page.getByRole('list', { name: 'Jazz albums' }).getByRole('listitem')
    await jazz.first().waitFor()
    expect(await jazz.count()).toBe(2)
  })

  it('searches with a typo and picks the suggestion', async () => {
    const box = page.getByRole('combobox', { name: 'Search' })
    await box.click()
    await box.pressSequentially('lumeire du so', { delay: 30 })
    const option = page.getByRole('option', { name: /Lumière du Soir · album/ })
    await option.waitFor()
    await screenshot(page, 'search')
    await option.click()
    await page.getByRole('heading', { name: 'Lumière du Soir', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toMatch(/^\/albums\/\d+$/)
  })

  it('plays an album: the audio advances, seeks, and skips to the next track', async () => {
    await openAlbum(page, 'Lumière du Soir')
    await page.getByRole('button', { name: 'Play', exact: false }).first().click()
    await waitForTime(page, 0.5)
    expect(await title()).toBe('Rue des Étoiles')
    expect((await activeAudio(page))?.src).toStartWith('blob:') // MediaSource: hls.js is playing
    // The lock screen and media keys see the track.
    expect(await page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('Rue des Étoiles')
    await screenshot(page, 'album')

    // Seek by the slider, as a listener drags it.
    await page.getByRole('slider', { name: 'Seek' }).evaluate((el: HTMLInputElement) => {
      el.value = '4'
      el.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await waitForTime(page, 4)
    expect((await activeAudio(page))?.time).toBeLessThan(5.5)

    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=now-title]')?.textContent === 'Crème Brûlée',
    )
    await page.waitForFunction(() => {
      const a = document.querySelector<HTMLAudioElement>('audio[data-active]')
      return !!a && !a.paused && a.currentTime > 0.5 && a.currentTime < 4
    })
    await page.getByRole('link', { name: 'Now playing' }).click()
    await screenshot(page, 'now-playing')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click()
    expect(await page.getByRole('list', { name: 'Queue' }).getByRole('listitem').count()).toBe(3)
    await screenshot(page, 'queue')
  })

  it('plays on to the next track by itself, and reports what was heard', async () => {
    // Crème Brûlée is 5 s long; the album's third track follows without a click.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=now-title]')?.textContent === 'Déjà Vu à Montréal',
      null,
      {
        timeout: 20_000,
      },
    )
    await waitForTime(page, 0.3)
    const gaps = await page.evaluate(() => performance.getEntriesByName('tonearm:gap').map((m) => m.duration))
    expect(gaps.length).toBeGreaterThanOrEqual(1)
    process.stdout.write(
      `\ngap at track changes (ended → playing): ${gaps.map((g) => g.toFixed(1)).join(', ')} ms\n`,
    )

    const creme = await trackId('Crème Brûlée')
    let events: Json[] = []
    for (let i = 0; i < 50; i++) {
      events = await loggedEvents()
      if (events.some((e) => e.type === 'play_ended' && e.trackId === creme)) break
      await Bun.sleep(200)
    }
    const types = events.map((e) => e.type)
    expect(types).toContain('play_started')
    expect(types).toContain('seek')
    expect(types).toContain('skip')
    expect(types).toContain('play_ended')
    const search = events.find((e) => e.type === 'search') as
      | { query: string; chosen: { type: string } }
      | undefined
    expect(search?.query).toBe('lumeire du so')
    expect(search?.chosen.type).toBe('album')
    expect(events.every((e) => e.source === 'web')).toBe(true)
    const ended = events.find((e) => e.type === 'play_ended' && e.trackId === creme) as
      | { heardMs: number }
      | undefined
    // Crème Brûlée played through: about 5 s heard.
    expect(ended?.heardMs).toBeGreaterThan(3500)
    expect(ended?.heardMs).toBeLessThan(6500)
  })

  it('changes quality (a fixed rung, the original file, automatic) and loudness normalization', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await screenshot(page, 'settings')
    await page.getByRole('radio', { name: 'Dark' }).check()
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    expect(await background()).toBe('rgb(20, 20, 24)')
    await screenshot(page, 'settings-dark')
    await page.getByRole('radio', { name: 'Light' }).check()
    expect(await background()).toBe('rgb(250, 250, 250)')
    await page.getByRole('radio', { name: 'System' }).check()
    const segment96 = page.waitForRequest((r) => /\/aac-96\/\d+\.m4s$/.test(r.url()))
    await page.getByLabel('Streaming quality').selectOption('96')
    await openAlbum(page, 'Polar Drift')
    await page.getByRole('button', { name: 'Play', exact: false }).first().click()
    await segment96
    await waitForTime(page, 0.3)
    expect(await title()).toBe('Midnight Sun')

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    const original = page.waitForRequest((r) => /\/file\/original$/.test(r.url()))
    await page.getByLabel('Streaming quality').selectOption('original')
    await original
    await page.waitForFunction(() => {
      const a = document.querySelector<HTMLAudioElement>('audio[data-active]')
      return !!a && a.currentSrc.includes('/file/original') && !a.paused
    })
    await page.getByLabel('Streaming quality').selectOption('auto')
    await page.waitForFunction(() =>
      document.querySelector<HTMLAudioElement>('audio[data-active]')?.currentSrc.startsWith('blob:'),
    )

    // Loudness: the server's gain to −14 LUFS (measured with the first cut, so it may still be 0 dB
    // for this first play), shifted by the listener's target, applied by a Web Audio gain node.
    const gain = () =>
      page.evaluate(() =>
        Number(document.querySelector<HTMLAudioElement>('audio[data-active]')?.dataset.gain),
      )
    const base = await gain()
    expect(base).toBeGreaterThan(0.1)
    await page.getByLabel('Target loudness').evaluate((el: HTMLInputElement) => {
      el.value = '-10'
      el.dispatchEvent(new Event('input', { bubbles: true }))
    })
    expect(await gain()).toBeCloseTo(base * 10 ** (4 / 20), 2)
    await page.getByLabel('Normalize loudness').uncheck()
    expect(await gain()).toBe(1)
    await page.getByLabel('Normalize loudness').check()
    await page.waitForFunction(() =>
      document.querySelector<HTMLAudioElement>('audio[data-active]')?.currentSrc.startsWith('blob:'),
    )
    await waitForTime(page, 0.2)
  })

  it('resumes after a reload where it left off', async () => {
    // Space pauses (focus on the page, not in a field).
    await page.locator('main h1').click()
    await page.keyboard.press(' ')
    await page.waitForFunction(() => document.querySelector<HTMLAudioElement>('audio[data-active]')?.paused)
    const before = await activeAudio(page)
    const track = await title()
    expect(before?.paused).toBe(true)
    // The household's "now playing" shows this browser paused (its reporter sends within 2 s).
    expect(await nowPlayingState('paused')).toBe('paused')
    await page.reload()
    await page.getByTestId('now-title').waitFor()
    expect(await title()).toBe(track)
    await page.getByRole('button', { name: 'Play', exact: true }).click()
    const after = await waitForTime(page, 0)
    expect(Math.abs(after - (before?.time ?? 0))).toBeLessThan(1.5)
    expect(await nowPlayingState('playing')).toBe('playing')
  })

  it('shows statistics and the admin page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Statistics' }).click()
    // The plays heard earlier in this test reach the statistics through the events consumers, which
    // run a moment behind the log: reload until the page shows them.
    let shown = ''
    for (let i = 0; i < 40; i++) {
      shown = (await page.getByTestId('listening-time').textContent()) ?? ''
      if (!/· 0 plays/.test(shown)) break
      await Bun.sleep(250)
      await page.reload()
    }
    expect(shown).toMatch(/· [1-9]\d* plays?/)
    const history = page.getByRole('region', { name: 'History' }).getByRole('listitem')
    await history.first().waitFor()
    expect(await history.count()).toBeGreaterThan(0)
    await screenshot(page, 'stats')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click()
    await page.getByTestId('scan-state').waitFor()
    await page.getByLabel('Token name').fill('browser test')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = await page.getByTestId('token-secret').textContent()
    expect(secret).toStartWith('tnr_a_')
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } })
    expect(me.status).toBe(200)
    await screenshot(page, 'admin')
  })

  it('makes a playlist from an album, reorders it and plays it', async () => {
    await openAlbum(page, 'Lumière du Soir')
    page.once('dialog', (d) => void d.accept('Evening'))
    await page.getByLabel('Add Lumière du Soir to a playlist').selectOption('new')
    await page.getByRole('heading', { name: 'Evening', level: 1 }).waitFor()
    const rows = page.getByRole('list', { name: 'Playlist tracks' }).getByRole('listitem')
    await rows.nth(2).waitFor()
    await page.getByRole('button', { name: 'Move Déjà Vu à Montréal up' }).click()
    await page.waitForFunction(() =>
      document.querySelectorAll('[aria-label="Playlist tracks"] li')[1]?.textContent?.includes('Déjà Vu'),
    )
    await page.getByRole('button', { name: 'Remove Rue des Étoiles from the playlist' }).click()
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Playlist tracks"] li').length === 2,
    )
    await screenshot(page, 'playlist')
    await page.getByRole('button', { name: 'Play', exact: false }).first().click()
    await waitForTime(page, 0.3)
    expect(await title()).toBe('Déjà Vu à Montréal')
    const { items } = (await (await server.api('/api/playlists')).json()) as {
      items: { name: string; entryCount: number }[]
    }
    expect(items.map((p) => [p.name, p.entryCount])).toEqual([['Evening', 2]])
  })

  it('opens the playlist to the household and shows who added what', async () => {
    await page.getByRole('button', { name: 'Let everyone add tracks' }).click()
    await page.getByText('Playlist · collaborative').waitFor()
    // Ben, another member of the household, adds a track from his own session.
    const created = await server.api('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ben', password: 'ben-password-1' }),
    })
    expect(created.status).toBe(201)
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ben', password: 'ben-password-1' }),
    })
    const { token } = (await login.json()) as { token: string }
    const { items } = (await (await server.api('/api/playlists')).json()) as { items: { id: number }[] }
    const added = await fetch(`${server.url}/api/playlists/${items[0]?.id}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ trackIds: [Number(await trackId('Rue des Étoiles'))] }),
    })
    expect(added.status).toBe(200)
    await page.reload()
    await page.getByText('added by ben').waitFor()
    await screenshot(page, 'playlist-collaborative')
  })

  const nav = (name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click()
  const pinHere = async () => {
    await page.getByRole('button', { name: 'Make available offline' }).click()
    await page.getByRole('button', { name: /Available offline/ }).waitFor({ timeout: 60_000 })
  }
  const cachedKeys = () =>
    page.evaluate(async () => (await (await caches.open('tonearm-offline')).keys()).map((r) => r.url))

  it('hearts a track and an album, lists them under Favourites, and logs the like for recommendations', async () => {
    await openAlbum(page, 'Lumière du Soir')
    const rows = page.getByRole('table')
    await rows.getByRole('button', { name: 'Add Rue des Étoiles to favourites' }).click()
    await rows.getByRole('button', { name: 'Remove Rue des Étoiles from favourites' }).waitFor()
    await page.getByRole('button', { name: 'Add Lumière du Soir to favourites' }).click()
    await page.getByRole('button', { name: 'Remove Lumière du Soir from favourites' }).waitFor()
    await nav('Favourites')
    await page.getByRole('list', { name: 'Favourite albums' }).getByText('Lumière du Soir').waitFor()
    const tracks = page.getByRole('region', { name: 'Favourite tracks' })
    await tracks.getByText('Rue des Étoiles').waitFor()
    await screenshot(page, 'favourites')
    const starred = (await (await server.api('/api/library/starred')).json()) as Record<
      string,
      { id: number }[]
    >
    expect(starred.tracks?.map((t) => String(t.id))).toEqual([await trackId('Rue des Étoiles')])
    expect(starred.albums).toHaveLength(1)
    const likes = (await loggedEvents()).filter((e) => e.type === 'like')
    expect(likes.map((e) => e.trackId)).toEqual([await trackId('Rue des Étoiles')])
    // Un-hearting on the Favourites page takes the track off it.
    await tracks.getByRole('button', { name: 'Remove Rue des Étoiles from favourites' }).click()
    await tracks.waitFor({ state: 'detached' })
    expect(
      ((await (await server.api('/api/library/starred')).json()) as { tracks: unknown[] }).tracks,
    ).toEqual([])
  })

  it('plays a mix made from what was heard, and a radio station from an album', async () => {
    const mixes = (await (await server.api('/api/mixes')).json()) as {
      items: { id: string; name: string; tracks: { title: string }[] }[]
    }
    const mine = mixes.items.find((m) => m.id === 'for-you')
    expect(mine?.tracks.length).toBeGreaterThan(0)
    await nav('Home')
    await page.getByRole('button', { name: new RegExp(`^Play ${mine?.name}`) }).click()
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="now-title"]')?.textContent === want,
      mine?.tracks[0]?.title,
    )
    await screenshot(page, 'home-mixes')
    await openAlbum(page, 'Lumière du Soir')
    const { items } = (await (
      await server.api(`/api/radio?albumId=${await albumId('Lumière du Soir')}`)
    ).json()) as {
      items: { title: string }[]
    }
    await page.getByRole('button', { name: 'Start a radio station from Lumière du Soir' }).click()
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="now-title"]')?.textContent === want,
      items[0]?.title,
    )
    await waitForTime(page, 0.3)
  })

  it('pins an album and a playlist offline and plays both with the server stopped', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready)
    await page.waitForFunction(() => !!navigator.serviceWorker.controller)
    await openAlbum(page, '夜明けの音')
    await pinHere()
    await nav('Playlists')
    await page.getByRole('list', { name: 'Playlists' }).getByRole('link', { name: 'Evening' }).click()
    await page.getByRole('heading', { name: 'Evening', level: 1 }).waitFor()
    await pinHere()
    const withPlaylist = await cachedKeys()

    // The album the playlist was made from shares its two tracks: pinning it stores only the third,
    // and removing it again must leave the playlist whole.
    await openAlbum(page, 'Lumière du Soir')
    await pinHere()
    await nav('Offline')
    await page.getByRole('list', { name: 'Albums available offline' }).getByRole('listitem').nth(1).waitFor()
    expect(await page.getByTestId('storage').textContent()).toMatch(
      /^2 albums · 1 playlists · \d+ KB of music stored/,
    )
    await page.getByRole('button', { name: 'Remove Lumière du Soir from this device' }).click()
    await page
      .getByRole('button', { name: 'Remove Lumière du Soir from this device' })
      .waitFor({ state: 'detached' })
    expect((await cachedKeys()).sort()).toEqual(withPlaylist.sort())

    await page
      .getByRole('list', { name: 'Playlists available offline' })
      .getByRole('link', { name: 'Evening' })
      .waitFor()
    expect(await page.getByTestId('storage').textContent()).toMatch(
      /^1 albums · 1 playlists · \d+ KB of music stored/,
    )
    await screenshot(page, 'offline')

    await server.stop()
    await page.reload()
    await page.getByRole('status').filter({ hasText: 'offline' }).first().waitFor()
    await page
      .getByRole('list', { name: 'Albums available offline' })
      .getByRole('link', { name: '夜明けの音' })
      .click()
    await page.getByRole('heading', { name: '夜明けの音', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Play', exact: false }).first().click()
    await waitForTime(page, 1)
    expect(await title()).toBe('朝霧 (Asagiri)')
    // And on to the next pinned track, still with no server.
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=now-title]')?.textContent !== '朝霧 (Asagiri)',
    )
    await waitForTime(page, 0.5)

    await nav('Offline')
    await page
      .getByRole('list', { name: 'Playlists available offline' })
      .getByRole('link', { name: 'Evening' })
      .click()
    await page.getByRole('heading', { name: 'Evening', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Play', exact: false }).first().click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=now-title]')?.textContent === 'Déjà Vu à Montréal',
    )
    await waitForTime(page, 1)
    await page.getByRole('button', { name: 'Next', exact: true }).click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=now-title]')?.textContent !== 'Déjà Vu à Montréal',
    )
    await waitForTime(page, 0.5)
  })

  it('removes the pinned album and playlist and gives their storage back', async () => {
    await nav('Offline')
    await page.getByRole('button', { name: 'Remove 夜明けの音 from this device' }).click()
    await page.getByRole('button', { name: 'Remove Evening from this device' }).click()
    await page.getByText('Open an album or a playlist and choose').waitFor()
    expect(await cachedKeys()).toEqual([])
  })

  it('signs out and leaves nothing of the listener behind', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    const left = await page.evaluate(() => ({
      queue: JSON.parse(localStorage.getItem('tonearm.queue') ?? '{}').tracks?.length,
      pinned: localStorage.getItem('tonearm.pinned'),
      user: localStorage.getItem('tonearm.user'),
      playing: [...document.querySelectorAll('audio')].some((a) => !a.paused),
    }))
    expect(left).toEqual({ queue: 0, pinned: '{}', user: 'null', playing: false })
    expect(problems).toEqual([])
  })
})
