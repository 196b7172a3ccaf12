import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { embedded } from './embedded.gen.ts'

export interface WebAsset {
  body: Uint8Array<ArrayBuffer>
  gzip: Uint8Array<ArrayBuffer> | null
  type: string
  etag: string
  /** Bundler output names carry a content hash, so they can be cached forever. */
  immutable: boolean
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  json: 'application/json',
  webmanifest: 'application/manifest+json',
}
const COMPRESSIBLE = /^(text\/|application\/(manifest\+)?json|image\/svg)/
/** Files the browser asks for by a fixed name; every other output name carries a content hash. */
const FIXED_NAMES = new Set(['/index.html', '/sw.js', '/manifest.webmanifest', '/icon.svg'])

// Where the bundler put each file differs per build (see src/audio/engine/assets.ts): an absolute
// path from source or inside a compiled binary, a path relative to this bundle under Node.
function locate(path: string): string {
  return isAbsolute(path) ? path : fileURLToPath(new URL(path, import.meta.url))
}

// The player is small, so it is read and gzipped once at start and served from memory.
export async function loadWebAssets(): Promise<Map<string, WebAsset>> {
  const assets = new Map<string, WebAsset>()
  for (const [urlPath, file] of Object.entries(embedded)) {
    const body = new Uint8Array(await readFile(locate(file)))
    const ext = urlPath.slice(urlPath.lastIndexOf('.') + 1)
    const type = TYPES[ext] ?? 'application/octet-stream'
    assets.set(urlPath, {
      body,
      gzip:
        COMPRESSIBLE.test(type) && body.length > 512 ? new Uint8Array(gzipSync(body, { level: 9 })) : null,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: !FIXED_NAMES.has(urlPath),
    })
  }
  return assets
}
