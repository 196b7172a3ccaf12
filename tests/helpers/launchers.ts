import { chmodSync, copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { type Launcher, ROOT, tempDir } from './server.ts'

export const DIST = join(ROOT, 'dist')
export const BINARY = join(DIST, 'tonearm')
export const ARM64_BINARY = join(DIST, 'tonearm-linux-arm64')
export const NODE_BUNDLE = join(DIST, 'node', 'tonearm.mjs')
export const ARM64_SYSROOT = '/usr/aarch64-linux-gnu'

function need(path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`npm run build\` first`)
}

/** The compiled executable copied alone into an empty directory, as a user would deploy it. */
export function isolatedBinary(): { launcher: Launcher; dir: string } {
  need(BINARY, 'compiled binary')
  const dir = tempDir('tonearm-bin-')
  const target = join(dir, 'tonearm')
  copyFileSync(BINARY, target)
  chmodSync(target, 0o755)
  return { launcher: { name: 'binary', command: [target] }, dir }
}

export function nodeBundle(): Launcher {
  need(NODE_BUNDLE, 'Node bundle')
  return { name: 'node', command: [process.env.NODE ?? 'node', NODE_BUNDLE] }
}

/** The arm64 binary under user-mode qemu, as on a Raspberry Pi (12–15× slower than native here). */
export function arm64Binary(): { launcher: Launcher; dir: string } {
  need(ARM64_BINARY, 'arm64 binary')
  need('/usr/bin/qemu-aarch64-static', 'qemu-aarch64-static (apt-get install qemu-user-static)')
  need(
    join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'),
    'the arm64 sysroot (apt-get install libc6-arm64-cross)',
  )
  const dir = tempDir('tonearm-arm64-')
  const target = join(dir, 'tonearm')
  copyFileSync(ARM64_BINARY, target)
  chmodSync(target, 0o755)
  return {
    launcher: {
      name: 'arm64 (qemu)',
      command: ['/usr/bin/qemu-aarch64-static', '-L', ARM64_SYSROOT, target],
    },
    dir,
  }
}
