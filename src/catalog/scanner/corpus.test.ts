import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { parseFile } from 'music-metadata'
import { catalogFor } from '../../../tests/helpers/catalog.ts'
import { CORPUS, demoLibrary } from '../../../tests/helpers/library.ts'
import { removeDir, tempDir } from '../../../tests/helpers/server.ts'
import type { ScanProblem } from '../index.ts'

// The real-world corpus (../shared/corpus): files other projects collected from bug reports.
// Whether music-metadata can read a file is decided here independently of the scanner.

/** Not audio at all, so the scanner neither catalogs nor reports them. */
const NOT_AUDIO = new Set(['.jpg', '.png', '.tiff', '.m3u', '.m3u8', '.7z', '.rar', '.md'])

/**
 * Files music-metadata reads without an error that still hold no playable audio: a lone tag,
 * a header promising hours of audio in a few kilobytes, an impossible duration.
 */
const READ_BUT_REJECTED: Record<string, string> = {
  'beets/emptylist.mp3': 'truncated',
  'taglib/005411.id3': 'no_audio',
  'taglib/broken-tenc.id3': 'no_audio',
  'taglib/empty-seektable.flac': 'truncated',
  'taglib/empty1s.aac': 'no_audio',
  'taglib/extended-header.mp3': 'no_audio',
  'taglib/garbage.mp3': 'truncated',
  'taglib/infloop.wv': 'no_audio',
  'taglib/lame_cbr.mp3': 'truncated',
  'taglib/lame_vbr.mp3': 'truncated',
  'taglib/longloop.ape': 'truncated',
  'taglib/mpeg2.mp3': 'truncated',
  'taglib/no_length.wv': 'truncated',
  'taglib/non_standard_rate.wv': 'corrupt',
  'taglib/real_example.wma': 'truncated',
  'taglib/sv8_header.mpc': 'truncated',
  'taglib/unsynch.id3': 'no_audio',
}

async function readable(path: string): Promise<boolean> {
  const deadline = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 10_000))
  try {
    const meta = await Promise.race([parseFile(path), deadline])
    return meta.format.hasAudio !== false
  } catch {
    return false
  }
}

const files = readdirSync(CORPUS, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name).slice(CORPUS.length + 1))
  .sort()

let cat: Awaited<ReturnType<typeof catalogFor>>
let problems: Map<string, ScanProblem>
let tracks: Set<string>

beforeAll(async () => {
  cat = await catalogFor([CORPUS])
  const summary = await cat.rescan()
  expect(summary.status).toBe('done')
  problems = new Map(cat.catalog.listProblems({ limit: 500 }).items.map((p) => [p.path, p]))
  tracks = new Set(cat.catalog.listTracks({ limit: 500 }).items.map((t) => cat.catalog.getTrack(t.id).path))
}, 60_000)
afterAll(() => cat.close())

describe('the real-world corpus', () => {
  it('scans to completion with every file accounted for exactly once', () => {
    expect(files.length).toBeGreaterThan(150)
    for (const file of files) {
      const skipped = NOT_AUDIO.has(extname(file).toLowerCase())
      const where = [
        tracks.has(file) && 'track',
        problems.has(file) && 'problem',
        skipped && 'skipped',
      ].filter(Boolean)
      expect({ file, where }).toEqual({ file, where: [where[0] || 'nowhere'] })
    }
  })

  it('catalogs every file music-metadata can read, and lists every other one with its reason', async () => {
    for (const file of files.filter((f) => !NOT_AUDIO.has(extname(f).toLowerCase()))) {
      const ok = await readable(join(CORPUS, file))
      const expected = !ok ? 'problem' : READ_BUT_REJECTED[file] ? 'problem' : 'track'
      expect({ file, is: tracks.has(file) ? 'track' : 'problem' }).toEqual({ file, is: expected })
      const problem = problems.get(file)
      if (READ_BUT_REJECTED[file])
        expect({ file, reason: problem?.reason as string | undefined }).toEqual({
          file,
          reason: READ_BUT_REJECTED[file],
        })
      if (problem) {
        expect([
          'empty',
          'unsupported',
          'truncated',
          'corrupt',
          'no_audio',
          'timeout',
          'unreadable',
        ]).toContain(problem.reason)
        expect(problem.message.length).toBeGreaterThan(5)
      }
    }
    expect(tracks.size).toBeGreaterThan(100)
  }, 60_000)

  it('names the reasons a person can act on', () => {
    expect(problems.get('beets/no_ext_not_music')).toMatchObject({
      reason: 'empty',
      message: 'zero-byte file',
    })
    expect(problems.get('taglib/test.xm')?.reason).toBe('unsupported')
    expect(problems.get('taglib/compressed_id3_frame.mp3')?.reason).toBe('truncated')
    expect(tracks.has('beets/no_ext')).toBe(true)
    expect(tracks.has('beets/unicode’d.mp3')).toBe(true)
  })
})

describe('hostile files', () => {
  it('a file that keeps the parser busy past the deadline becomes a timeout problem; the scan goes on', async () => {
    const dir = tempDir('tonearm-hostile-')
    const good = join(await demoLibrary(), 'Café Aurora/2019 - Lumière du Soir/01 - Rue des Étoiles.flac')
    cpSync(good, join(dir, 'good.flac'))
    // 400,000 empty PADDING blocks: valid FLAC, but music-metadata reads them one by one for ~a second.
    const flac = readFileSync(good)
    const streaminfo = flac.subarray(8, 8 + 34)
    const blocks = Buffer.alloc(400_000 * 4)
    for (let i = 0; i < 400_000; i++) blocks[i * 4] = i === 399_999 ? 0x81 : 0x01
    writeFileSync(
      join(dir, 'hostile.flac'),
      Buffer.concat([Buffer.from('fLaC\x00\x00\x00\x22'), streaminfo, blocks]),
    )
    const hostile = await catalogFor([dir], { parseTimeoutMs: 150 })
    const summary = await hostile.rescan()
    expect(summary).toMatchObject({ status: 'done', added: 1, problems: 1 })
    expect(hostile.catalog.listProblems().items.map((p) => [p.path, p.reason])).toEqual([
      ['hostile.flac', 'timeout'],
    ])
    await hostile.close()
    removeDir(dir)
  }, 30_000)
})
