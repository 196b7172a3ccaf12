import { afterAll, describe, expect, it } from 'bun:test'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { choosesWasm, locateExecutable } from './locate.ts'

const root = mkdtempSync(join(tmpdir(), 'tonearm-locate-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function file(path: string, mode: number): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, '#!/bin/sh\n')
  chmodSync(path, mode)
  return path
}

const runnable = file(join(root, 'b', 'ffmpeg'), 0o755)
const plain = file(join(root, 'c', 'ffmpeg'), 0o644)
mkdirSync(join(root, 'a', 'ffmpeg'), { recursive: true })

describe('locateExecutable', () => {
  it('walks PATH in order, past a directory and a file that cannot run', () => {
    const PATH = [join(root, 'a'), join(root, 'c'), '', join(root, 'b')].join(':')
    expect(locateExecutable('ffmpeg', PATH)).toBe(runnable)
    expect(locateExecutable('ffmpeg', join(root, 'a'))).toBeNull()
    expect(locateExecutable('ffprobe', PATH)).toBeNull()
  })

  it('takes a path as it is, never searching PATH for it', () => {
    expect(locateExecutable(runnable, '')).toBe(runnable)
    expect(locateExecutable(plain, join(root, 'b'))).toBeNull()
    expect(locateExecutable(join(root, 'nowhere', 'ffmpeg'), join(root, 'b'))).toBeNull()
  })
})

describe('choosesWasm', () => {
  it('follows an explicit engine whatever is installed', () => {
    expect(choosesWasm('wasm', runnable)).toBe(true)
    expect(choosesWasm('native', join(root, 'nowhere'))).toBe(false)
  })

  it('auto: WASM unless the configured ffmpeg (or one on PATH) is there to run', () => {
    expect(choosesWasm('auto', runnable)).toBe(false)
    expect(choosesWasm('auto', plain)).toBe(true)
    expect(choosesWasm('auto', join(root, 'nowhere', 'ffmpeg'))).toBe(true)
  })
})
