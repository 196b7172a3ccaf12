import { afterEach, expect, test } from 'bun:test'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDiskCache } from './disk-cache.ts'

const dirs: string[] = []
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'tonearm-cache-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)

test('put writes the whole file under its key and get finds it', async () => {
  const cache = await createDiskCache({ dir: fresh(), maxBytes: 1e6 })
  const put = await cache.put('fp/aac-160/seg-0.m4s', bytes(100))
  expect(readFileSync(put.path).length).toBe(100)
  expect(cache.get('fp/aac-160/seg-0.m4s')).toEqual(put)
  expect(cache.get('fp/aac-160/seg-1.m4s')).toBeUndefined()
})

test('the first writer of a key wins, so a cached file never changes', async () => {
  const cache = await createDiskCache({ dir: fresh(), maxBytes: 1e6 })
  await cache.put('a/b', bytes(10, 1))
  await cache.put('a/b', bytes(20, 2))
  expect(readFileSync(cache.get('a/b')?.path as string)).toEqual(Buffer.from(bytes(10, 1)))
})

test('over the limit, the least recently used files go first', async () => {
  const evicted: string[] = []
  const cache = await createDiskCache({ dir: fresh(), maxBytes: 1000, onEvict: (k) => evicted.push(k) })
  await cache.put('k/1', bytes(400))
  await cache.put('k/2', bytes(400))
  cache.get('k/1')
  await cache.put('k/3', bytes(400))
  expect(evicted).toEqual(['k/2'])
  expect(cache.get('k/2')).toBeUndefined()
  expect(existsSync(join(cache.dir, 'k', '2'))).toBe(false)
  expect(cache.stats()).toEqual({ files: 2, bytes: 800, maxBytes: 1000 })
})

test('a restart finds what is cached, oldest use first, and drops half-written temp files', async () => {
  const dir = fresh()
  mkdirSync(join(dir, 'x'), { recursive: true })
  writeFileSync(join(dir, 'x', 'old'), bytes(300))
  writeFileSync(join(dir, 'x', 'new'), bytes(300))
  utimesSync(join(dir, 'x', 'old'), new Date(1e12), new Date(1e12))
  mkdirSync(join(dir, '.tmp'))
  // pid 2^22 + 1 is above Linux's pid_max: a writer that no longer exists.
  writeFileSync(join(dir, '.tmp', `${2 ** 22 + 1}-crashed-mid-write`), bytes(50))
  writeFileSync(join(dir, '.tmp', `${process.ppid}-still-writing`), bytes(50))
  const cache = await createDiskCache({ dir, maxBytes: 500 })
  expect(readdirSync(join(dir, '.tmp'))).toEqual([`${process.ppid}-still-writing`])
  expect(cache.get('x/old')).toBeUndefined()
  expect(cache.get('x/new')?.size).toBe(300)
})

test('keys cannot leave the cache directory', async () => {
  const cache = await createDiskCache({ dir: fresh(), maxBytes: 1000 })
  for (const key of ['../x', 'a//b', '.tmp/x', 'a/./b']) {
    expect(
      await cache.put(key, bytes(1)).then(
        () => 'stored',
        (e: Error) => e.name,
      ),
    ).toBe('TypeError')
  }
})

test('a file another process put into the same directory is found, counted and evicted like its own', async () => {
  const dir = fresh()
  const server = await createDiskCache({ dir, maxBytes: 250 })
  const cli = await createDiskCache({ dir, maxBytes: 1e6 })
  expect(server.has('fp/aac-96/seg-0.m4s')).toBe(false)
  await cli.put('fp/aac-96/seg-0.m4s', bytes(100, 7))
  expect(server.has('fp/aac-96/seg-0.m4s')).toBe(true)
  expect(readFileSync(server.get('fp/aac-96/seg-0.m4s')?.path as string)[0]).toBe(7)
  expect(server.stats()).toMatchObject({ files: 1, bytes: 100 })
  await server.put('fp/aac-96/seg-1.m4s', bytes(100))
  await server.put('fp/aac-96/seg-2.m4s', bytes(100))
  // Over 250 bytes: the adopted file was the least recently used, so it went first.
  expect(server.has('fp/aac-96/seg-0.m4s')).toBe(false)
  expect(server.stats().bytes).toBe(200)
})
