// Run by `npm run test:dist` after `npm run build`: the same smoke test against each artifact.
import { afterAll, setDefaultTimeout } from 'bun:test'
import { arm64Binary, isolatedBinary, nodeBundle } from '../helpers/launchers.ts'
import { removeDir } from '../helpers/server.ts'
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
