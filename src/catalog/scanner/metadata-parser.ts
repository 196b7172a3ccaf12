import { type IAudioMetadata, type IOptions, parseFromTokenizer, scanAppendingHeaders } from 'music-metadata'
import type { IRandomAccessTokenizer, ITokenizer } from 'strtok3'
// music-metadata's package exports hide these modules, so they are reached by path; the test
// beside this file compares every result with parseFromTokenizer's, so an upgrade that changes
// them fails there rather than here.
import { MetadataCollector } from '../../../node_modules/music-metadata/lib/common/MetadataCollector.js'
import { type IParserLoader, ParserFactory } from '../../../node_modules/music-metadata/lib/ParserFactory.js'
import { TrackType } from '../../../node_modules/music-metadata/lib/type.js'

// music-metadata's parseFromTokenizer builds a new MetadataCollector per file, and with it a
// CombinedTagMapper: every tag format's map, upper-cased key by key into fresh objects. Measured
// on the 5,040-file bench library, that was a fifth of the parse time; version 11 offers no
// public way to keep them. So this runs the same steps as its ParserFactory.parse, with each
// file's collector cloned from one built once per worker and sharing its read-only tag mapper
// and priority table (the mappers hold only their maps; the priorities are only read).

type Parser = new (
  metadata: MetadataCollector,
  tokenizer: ITokenizer,
  options: IOptions,
) => {
  parse(): Promise<void>
}

/** Fields of the template shared by every collector instead of copied. */
const SHARED = new Set(['tagMapper', 'originPriority'])

export interface MetadataParser {
  parse(tokenizer: ITokenizer, options: IOptions): Promise<IAudioMetadata>
}

export function createMetadataParser(): MetadataParser {
  const factory = new ParserFactory()
  const template = new MetadataCollector({}) as unknown as Record<string, unknown>
  const fields = Object.keys(template)
  const parsers = new Map<IParserLoader, Parser>()

  function collector(options: IOptions): MetadataCollector {
    const c = Object.create(MetadataCollector.prototype) as Record<string, unknown>
    for (const key of fields)
      c[key] = SHARED.has(key) ? template[key] : key === 'opts' ? options : structuredClone(template[key])
    return c as unknown as MetadataCollector
  }

  return {
    async parse(tokenizer, options) {
      const loader = factory.findLoaderForExtension(tokenizer.fileInfo.path)
      // Without a known extension the library guesses from the content; that path is rare.
      if (!loader) return parseFromTokenizer(tokenizer, options)
      if (tokenizer.supportsRandomAccess())
        await scanAppendingHeaders(tokenizer as IRandomAccessTokenizer, options)
      let Impl = parsers.get(loader)
      if (!Impl) {
        Impl = (await loader.load()) as unknown as Parser
        parsers.set(loader, Impl)
      }
      const metadata = collector(options)
      await new Impl(metadata, tokenizer, options).parse()
      const tracks = metadata.format.trackInfo
      if (tracks) {
        if (metadata.format.hasAudio === undefined)
          metadata.setFormat(
            'hasAudio',
            tracks.some((t) => t.type === TrackType.audio),
          )
        if (metadata.format.hasVideo === undefined)
          metadata.setFormat(
            'hasVideo',
            tracks.some((t) => t.type === TrackType.video),
          )
      }
      return metadata.toCommonMetadata()
    },
  }
}
