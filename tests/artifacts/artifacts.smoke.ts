// Run by `npm run test:dist` after `npm run build`: the same smoke test against each artifact.
import { afterAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { ENGINE_OPTIONS, SCAN_OPTIONS } from '../../src/compose/jsc-launch.ts'
import { arm64Binary, isolatedBinary, nodeBundle } from '../helpers/launchers.ts'
import { removeDir, run } from '../helpers/server.ts'
import { smokeSuite } from '../helpers/smoke.ts'

setDefaultTimeout(180_000)
const bin = isolatedBinary()
const arm = arm64Binary()
afterAll(() => {
  removeDir(bin.dir)
  removeDir(arm.dir)
})

// The binary runs from its own empty directory, so nothing from the checkout can leak in.
smokeSuite(bin.launcher, { cwd: bin.dir })
smokeSuite(nodeBundle(), { cwd: bin.dir })
// Under qemu everything is ~12–15x slower: check --version and health, not the demo generation.
smokeSuite(arm.launcher, { cwd: arm.dir, startTimeoutMs: 120_000, demo: false })

// Bun refuses to start with a JavaScriptCore option its runtime does not know, and each binary
// carries its own runtime: the options the commands relaunch with must start both.
describe('the JavaScriptCore options tonearm relaunches with', () => {
  for (const launcher of [bin.launcher, arm.launcher]) {
    it(`start: ${launcher.name}`, async () => {
      const r = await run(launcher, ['--version'], { env: { ...ENGINE_OPTIONS, ...SCAN_OPTIONS } })
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
    })
  }
})
