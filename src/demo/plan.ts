import { demoAlbums } from './catalog.ts'
import type { TrackTags } from './encode.ts'
import type { DemoAlbum, DemoTrack } from './types.ts'

export type PlannedFile =
  | { kind: 'cover'; path: string; album: DemoAlbum }
  | { kind: 'track'; path: string; album: DemoAlbum; track: DemoTrack; tags: TrackTags }

/** Keeps names legal on every filesystem a music folder may be copied to (FAT, SMB, NTFS). */
export function safeFileName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  return name.replace(/[\u0000-\u001f/\\:*?"<>|]/g, '-').replace(/[. ]+$/, '')
}

const pad2 = (n: number) => String(n).padStart(2, '0')

/**
 * Every file the demo library consists of, relative to its folder, in generation order:
 * `<Album Artist>/<Year> - <Album>/cover.jpg` and `…/<NN> - <Title>.<ext>`
 * (`<D>-<NN> - …` on multi-disc albums so the discs sort apart).
 */
export function planDemoLibrary(albums: readonly DemoAlbum[] = demoAlbums): PlannedFile[] {
  return albums.flatMap((album): PlannedFile[] => {
    const dir = `${safeFileName(album.albumArtist)}/${album.year} - ${safeFileName(album.title)}`
    const multiDisc = album.discs.length > 1
    const tracks = album.discs.flatMap((tracksOnDisc, d) =>
      tracksOnDisc.map((track, t): PlannedFile => {
        const number = multiDisc ? `${d + 1}-${pad2(t + 1)}` : pad2(t + 1)
        const tags: TrackTags = {
          title: track.title,
          artist: track.artist,
          album: album.title,
          albumArtist: album.albumArtist,
          track: t + 1,
          trackTotal: tracksOnDisc.length,
          disc: d + 1,
          discTotal: album.discs.length,
          year: album.year,
          genre: track.genre ?? album.genre,
          compilation: album.compilation ?? false,
        }
        return {
          kind: 'track',
          path: `${dir}/${number} - ${safeFileName(track.title)}.${album.format}`,
          album,
          track,
          tags,
        }
      }),
    )
    return [{ kind: 'cover', path: `${dir}/cover.jpg`, album }, ...tracks]
  })
}
