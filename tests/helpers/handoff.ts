// Two browser pages as two devices of one listener: play on the first, transfer to the second,
// and measure what a listener would hear — where the second picked up, and the silence between.
import { type Browser, chromium, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, type DeviceRig } from './device-page.ts'

export const CHROMIUM = '/usr/bin/chromium'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

type LogEntry = { kind: 'started' | 'stopped'; at: number; serverAt: number; position: number }

export interface HandoffResult {
  /** Page clock: the target's audio starting minus the source's stopping (both pages share a clock). */
  gapMs: number
  /** Where the target started minus where the source stopped, in the track. */
  positionDeltaMs: number
  /** The gap as the server computed it from the two devices' reports (server clock). */
  serverGapMs: number
  sourcePosition: number
  targetPosition: number
  sourcePausedAfter: boolean
  targetAdvancedAfter: boolean
}

const logOf = (p: Page) => p.evaluate(() => (window as unknown as { deviceLog: LogEntry[] }).deviceLog)

async function openDevice(browser: Browser, rig: DeviceRig, name: string) {
  const context = browser.contexts()[0] ?? (await browser.newContext())
  const page = await context.newPage()
  const id = crypto.randomUUID()
  await page.goto(`${rig.url}/device?id=${id}&name=${encodeURIComponent(name)}`)
  await page.waitForFunction(() => (window as unknown as { registered?: boolean }).registered === true)
  return { page, id }
}

export async function measureHandoff(
  browser: Browser,
  rig: DeviceRig,
  playMs = 2500,
): Promise<HandoffResult> {
  // Sign in once for the browser: the pages share its cookie, as two tabs of one browser would.
  if (browser.contexts().length === 0) {
    const context = await browser.newContext()
    const res = await context.request.post(`${rig.url}/api/auth/login`, {
      data: { username: 'listener', password: 'listener-password' },
    })
    if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()}`)
  }
  const a = await openDevice(browser, rig, 'Phone')
  const b = await openDevice(browser, rig, 'Laptop')
  try {
    await a.page.evaluate(() =>
      (window as unknown as { command: (a: string, x: object) => void }).command('setQueue', {
        trackIds: [1],
        play: true,
      }),
    )
    await a.page.waitForFunction(
      (ms) => (document.querySelector('audio') as HTMLAudioElement).currentTime * 1000 > ms,
      playMs,
      { timeout: 15_000 },
    )
    await b.page.evaluate((target) => {
      ;(window as unknown as { command: (a: string, x: object) => void }).command('transfer', {
        deviceId: target,
      })
    }, b.id)
    await b.page.waitForFunction(() =>
      (window as unknown as { deviceLog: LogEntry[] }).deviceLog.some((e) => e.kind === 'started'),
    )
    await a.page.waitForFunction(() =>
      (window as unknown as { deviceLog: LogEntry[] }).deviceLog.some((e) => e.kind === 'stopped'),
    )
    const handoff = await a.page.waitForFunction(() =>
      (window as unknown as { frames_: { type: string; handoff?: { gapMs: number } }[] }).frames_.find(
        (f) => f.type === 'handoff',
      ),
    )
    const serverGapMs = ((await handoff.jsonValue()) as { handoff: { gapMs: number } }).handoff.gapMs
    const stopped = (await logOf(a.page)).find((e) => e.kind === 'stopped') as LogEntry
    const started = (await logOf(b.page)).find((e) => e.kind === 'started') as LogEntry
    const audioOf = (p: Page) =>
      p.evaluate(() => {
        const el = document.querySelector('audio') as HTMLAudioElement
        return { paused: el.paused, time: el.currentTime }
      })
    const before = await audioOf(b.page)
    await Bun.sleep(500)
    const [after, source] = [await audioOf(b.page), await audioOf(a.page)]
    return {
      gapMs: started.at - stopped.at,
      positionDeltaMs: (started.position - stopped.position) * 1000,
      serverGapMs,
      sourcePosition: stopped.position,
      targetPosition: started.position,
      sourcePausedAfter: source.paused,
      targetAdvancedAfter: !after.paused && after.time > before.time + 0.2,
    }
  } finally {
    await a.page.close()
    await b.page.close()
  }
}
