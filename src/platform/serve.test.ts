import { expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { removeDir, tempDir } from '../../tests/helpers/server.ts'
import { serveHttp } from './serve.ts'

// A file body is opened only when Bun sends it: the file can be gone by then (cache eviction,
// a rescan). The caller must get a problem it can act on, not Bun's developer page with the path.
test('a file removed between the answer and its sending is a 503 to retry that names no path', async () => {
  const dir = tempDir('tonearm-serve-')
  const path = join(dir, 'segment-0.m4s')
  writeFileSync(path, 'x')
  const failures: Error[] = []
  const server = await serveHttp(
    () => {
      const body = Bun.file(path)
      removeDir(dir)
      return new Response(body)
    },
    { port: 0, host: '127.0.0.1', onError: (err) => failures.push(err) },
  )
  try {
    const res = await fetch(`http://127.0.0.1:${server.port}/x`)
    const text = await res.text()
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(JSON.parse(text)).toMatchObject({ status: 503, code: 'unavailable' })
    expect(text).not.toContain(dir)
    expect(failures).toHaveLength(1)
  } finally {
    await server.stop()
  }
})
