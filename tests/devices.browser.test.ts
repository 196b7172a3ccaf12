import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { type DeviceRig, startDeviceRig } from './helpers/device-page.ts'
import { CHROMIUM, launchChromium, measureHandoff } from './helpers/handoff.ts'

// Two pages of Debian's Chromium as two devices of one listener, playing real audio through
// <audio>: play on one, transfer to the other. The second must pick up within half a second of
// where the first stopped, and the first must go quiet. The handoff gap is printed.

setDefaultTimeout(90_000)

let rig: DeviceRig
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`)
  rig = await startDeviceRig()
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await rig?.close()
})

describe('transfer between two browser devices', () => {
  it('the second device plays on from where the first stopped, and the first stops', async () => {
    const r = await measureHandoff(browser, rig)
    process.stdout.write(
      `\nhandoff: gap ${r.gapMs.toFixed(0)} ms (server's measure from the reports: ${r.serverGapMs} ms); ` +
        `source stopped at ${r.sourcePosition.toFixed(3)} s, target started at ${r.targetPosition.toFixed(3)} s\n`,
    )
    expect(r.sourcePosition).toBeGreaterThan(2.5)
    expect(Math.abs(r.positionDeltaMs)).toBeLessThan(500)
    expect(r.sourcePausedAfter).toBe(true)
    expect(r.targetAdvancedAfter).toBe(true)
    // The server saw the same handoff the pages did (its clock is mapped by each page's clock sync).
    expect(Math.abs(r.serverGapMs - r.gapMs)).toBeLessThan(100)
    const state = rig.t.devices.playback(rig.user.id)
    const active = rig.t.devices.list(rig.user.id).find((d) => d.id === state.activeDeviceId)
    expect(active?.name).toBe('Laptop')
  })
})
