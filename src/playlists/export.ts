import { sql } from 'drizzle-orm'
import { XMLBuilder } from 'fast-xml-parser'
import { inFolders } from '../catalog/index.ts'
import type { Db } from '../platform/sqlite.ts'
import type { PlaylistRow } from './store.ts'
import type { ExportedPlaylist, ExportFormat, Viewer } from './types.ts'

// Playlist files for other players. Paths are relative to the track's music folder, so the file
// works beside a copy of the library on another machine (or under a player's own music root);
// with several music folders, each path is relative to its own folder.

interface ExportRow {
  dir: string
  name: string
  title: string
  artist: string
  album: string
  duration: number | null
  track_no: number | null
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  // Both M3U flavours are written as UTF-8: `.m3u8` says so by name, and current players (VLC,
  // mpv, foobar2000) detect it in `.m3u` too, where the legacy code pages could not hold every title.
  m3u: 'audio/x-mpegurl; charset=utf-8',
  m3u8: 'audio/x-mpegurl; charset=utf-8',
  xspf: 'application/xspf+xml; charset=utf-8',
}

// Characters XML 1.0 cannot carry at all, and line breaks that would split an M3U line.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(NOT_XML, '')

const relativePath = (r: ExportRow) => (r.dir === '' ? r.name : `${r.dir}/${r.name}`)

function m3u(row: PlaylistRow, tracks: ExportRow[]): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${oneLine(row.name)}`]
  for (const t of tracks) {
    const seconds = t.duration === null ? -1 : Math.round(t.duration)
    lines.push(`#EXTINF:${seconds},${oneLine(t.artist)} - ${oneLine(t.title)}`, oneLine(relativePath(t)))
  }
  return `${lines.join('\n')}\n`
}

function xspf(row: PlaylistRow, tracks: ExportRow[]): string {
  const clean = (s: string) => s.replace(NOT_XML, '')
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true })
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    playlist: {
      '@_version': '1',
      '@_xmlns': 'http://xspf.org/ns/0/',
      title: clean(row.name),
      creator: clean(row.username),
      ...(row.comment ? { annotation: clean(row.comment) } : {}),
      date: new Date(row.changed_at).toISOString(),
      trackList: {
        track: tracks.map((t) => ({
          // A relative URI reference: each path segment percent-encoded.
          location: relativePath(t).split('/').map(encodeURIComponent).join('/'),
          title: clean(t.title),
          creator: clean(t.artist),
          album: clean(t.album),
          ...(t.track_no === null ? {} : { trackNum: t.track_no }),
          ...(t.duration === null ? {} : { duration: Math.round(t.duration * 1000) }),
        })),
      },
    },
  })
}

/** A file name for Content-Disposition: the playlist's name without path or control characters. */
const fileName = (name: string, format: ExportFormat) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  `${name.replace(/[\\/:*?"<>|\u0000-\u001F]+/g, '_').trim() || 'playlist'}.${format}`

export function exportPlaylist(
  db: Db,
  viewer: Viewer,
  row: PlaylistRow,
  format: ExportFormat,
): ExportedPlaylist {
  const tracks =
    db.all<ExportRow>(sql`SELECT t.dir, t.name, t.title, t.artist, al.name AS album, t.duration, t.track_no
    FROM playlist_entries e JOIN tracks t ON t.id = e.track_id JOIN albums al ON al.id = t.album_id
    WHERE e.playlist_id = ${row.id} AND t.missing_at IS NULL AND ${inFolders(sql`t.folder_id`, viewer.folderIds)}
    ORDER BY e.position`)
  return {
    filename: fileName(row.name, format),
    contentType: CONTENT_TYPES[format],
    body: format === 'xspf' ? xspf(row, tracks) : m3u(row, tracks),
  }
}
