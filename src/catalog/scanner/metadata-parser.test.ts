import { describe, expect, it } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type IOptions, parseFromTokenizer } from 'music-metadata'
import { CORPUS, demoLibrary } from '../../../tests/helpers/library.ts'
import { FileTokenizer } from './file-tokenizer.ts'
import { createMetadataParser } from './metadata-parser.ts'

// The scanner's parser reuses music-metadata's tag tables through modules the package does not
// export. It must give exactly what the public parseFromTokenizer gives, on real-world files
// (with their errors) and on every format the demo library holds; an upgrade of music-metadata
// that changes those modules fails here.

type Outcome = { meta: unknown } | { error: string }

async function outcome(parse: (t: FileTokenizer) => Promise<unknown>, path: string): Promise<Outcome> {
  const tokenizer = new FileTokenizer(path, performance.now() + 10_000, 10_000)
  try {
    return { meta: await parse(tokenizer) }
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` }
  } finally {
    await tokenizer.close()
  }
}

const audioFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.(jpg|png|tiff|m3u8?|7z|rar|md|lrc|json)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort()

describe('the reusing metadata parser', () => {
  const parser = createMetadataParser()

  for (const options of [{ duration: false }, { duration: true }, {}] satisfies IOptions[])
    it(`reads every corpus file exactly as parseFromTokenizer does (${JSON.stringify(options)})`, async () => {
      const files = audioFiles(CORPUS)
      expect(files.length).toBeGreaterThan(100)
      let parsed = 0
      for (const path of files) {
        const mine = await outcome((t) => parser.parse(t, { ...options }), path)
        const theirs = await outcome((t) => parseFromTokenizer(t, { ...options }), path)
        expect({ path, ...mine }).toEqual({ path, ...theirs })
        if ('meta' in mine) parsed++
      }
      expect(parsed).toBeGreaterThan(files.length / 2)
    }, 120_000)

  it('reads every demo format exactly as parseFromTokenizer does, one file after another', async () => {
    const files = audioFiles(await demoLibrary())
    expect(new Set(files.map((f) => f.slice(f.lastIndexOf('.'))))).toEqual(
      new Set(['.flac', '.mp3', '.ogg', '.m4a']),
    )
    // Twice over, so a collector that kept anything from the previous file would show it.
    for (const path of [...files, ...files]) {
      const mine = await outcome((t) => parser.parse(t, {}), path)
      const theirs = await outcome((t) => parseFromTokenizer(t, {}), path)
      expect('meta' in mine).toBe(true)
      expect({ path, ...mine }).toEqual({ path, ...theirs })
    }
  }, 120_000)
})
