// The web player under test: the real server from source on the demo library, Debian's Chromium
// driven by playwright-core, and the steps a listener takes, shared by the browser test and the
// player benchmark.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { CHROMIUM_ARGS } from './device-page.ts'
import { ROOT, TEST_ADMIN } from './server.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('User name').fill(TEST_ADMIN.username)
  await page.getByLabel('Password').fill(TEST_ADMIN.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor()
}

/** The <audio> element that is playing (the player keeps two, for gapless changes). */
export const activeAudio = (page: Page) =>
  page.evaluate(() => {
    const a = document.querySelector<HTMLAudioElement>('audio[data-active]')
    return a ? { time: a.currentTime, paused: a.paused, src: a.currentSrc } : null
  })

/** Waits until the playing element's time passes `seconds`. */
export async function waitForTime(page: Page, seconds: number, timeout = 30_000): Promise<number> {
  await page.waitForFunction(
    (s) => {
      const a = document.querySelector<HTMLAudioElement>('audio[data-active]')
      return !!a && !a.paused && a.currentTime > s
    },
    seconds,
    { timeout },
  )
  return (await activeAudio(page))?.time ?? 0
}

export async function openAlbum(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Albums', exact: true })
    .click()
  await page.getByRole('link', { name: new RegExp(`^${name} by `) }).click()
  await page.getByRole('heading', { name, level: 1 }).waitFor()
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.waitForTimeout(100)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`) })
  }
  await page.setViewportSize(DESKTOP)
}

export async function newPlayerContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: DESKTOP })
}
