import { invalidParam } from './params.ts'

// Subsonic ids are opaque strings shared by every kind of item; Tonearm's are numbers per table.
// A prefix names the kind, so `star?id=` or `getCoverArt?id=` can tell a song from an album, and
// a directory id carries its folder and path (directories are not stored, see catalog/queries/directories.ts).

export const KINDS = { song: 'tr', album: 'al', artist: 'ar', playlist: 'pl', directory: 'dr' } as const
export type Kind = keyof typeof KINDS

export const songId = (id: number) => `tr-${id}`
export const albumId = (id: number) => `al-${id}`
export const artistId = (id: number) => `ar-${id}`
export const playlistId = (id: number | string) => `pl-${id}`
export const directoryId = (folderId: number, dir: string) =>
  `dr-${folderId}-${Buffer.from(dir, 'utf8').toString('base64url')}`

export type ParsedId =
  | { kind: 'song' | 'album' | 'artist' | 'playlist'; id: number }
  | { kind: 'directory'; folderId: number; dir: string }
  | { kind: 'cover'; id: string }

const NUMBERED = /^(tr|al|ar|pl)-([1-9][0-9]{0,14})$/
const DIRECTORY = /^dr-([1-9][0-9]{0,9})-([A-Za-z0-9_-]*)$/
const COVER = /^[0-9a-f]{32}$/
const KIND_OF: Record<string, 'song' | 'album' | 'artist' | 'playlist'> = {
  tr: 'song',
  al: 'album',
  ar: 'artist',
  pl: 'playlist',
}

export function parseId(raw: string, param = 'id'): ParsedId {
  const n = NUMBERED.exec(raw)
  if (n) return { kind: KIND_OF[n[1] as string] as 'song', id: Number(n[2]) }
  const d = DIRECTORY.exec(raw)
  if (d)
    return {
      kind: 'directory',
      folderId: Number(d[1]),
      dir: Buffer.from(d[2] as string, 'base64url').toString('utf8'),
    }
  if (COVER.test(raw)) return { kind: 'cover', id: raw }
  throw invalidParam(param, `"${raw.slice(0, 80)}" is not an id this server gave out`)
}

/** An id that must be of one kind (a song for `stream`, an album for `getAlbum`). */
export function idOf(raw: string, kind: 'song' | 'album' | 'artist' | 'playlist', param = 'id'): number {
  const parsed = parseId(raw, param)
  if (parsed.kind !== kind) throw invalidParam(param, `"${raw.slice(0, 80)}" is not a ${kind} id`)
  return parsed.id
}
