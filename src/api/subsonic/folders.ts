import type { Directory } from '../../catalog/index.ts'
import { foldersOf } from './access.ts'
import { albums, songs as songNodes } from './annotate.ts'
import { IGNORED_ARTICLES, orNotFound } from './browsing.ts'
import type { Call } from './context.ts'
import type { Node } from './encode.ts'
import { notFound } from './errors.ts'
import { directoryId, parseId } from './ids.ts'
import { byIndex } from './models.ts'

// Folder browsing as the files lie on disk: getIndexes lists the top directories of the music
// folders (under their first letter) and the files at their roots; getMusicDirectory lists one
// directory. Album and artist ids from the folder-era lists (getAlbumList) open as directories too.

function lastModified({ deps }: Call): number {
  return deps.catalog.scanner.status().lastScan?.finishedAt ?? 0
}

export function indexesOf(call: Call): Node {
  const { params, principal, deps } = call
  const folderIds = foldersOf(principal, params)
  const since = params.int('ifModifiedSince', { min: 0 })
  const modified = lastModified(call)
  if (since !== undefined && modified <= since)
    return { indexes: { lastModified: modified, ignoredArticles: IGNORED_ARTICLES } }
  const tops: { id: string; name: string }[] = []
  const files: Node[] = []
  for (const folderId of folderIds) {
    let root: Directory
    try {
      // The index shows names only: no covers to look up.
      root = deps.catalog.getDirectory(folderId, '', { folderIds, covers: false })
    } catch {
      continue // a folder with no music yet
    }
    for (const d of root.subdirectories) tops.push({ id: directoryId(folderId, d.dir), name: d.name })
    files.push(
      ...songNodes(call, deps.catalog.listSongs({ dir: { folderId, dir: '' }, folderIds, order: 'dir' })),
    )
  }
  return {
    indexes: {
      lastModified: modified,
      ignoredArticles: IGNORED_ARTICLES,
      index: byIndex(
        tops,
        (t) => t.name,
        (t) => ({ id: t.id, name: t.name }),
        'artist',
      ),
      child: files,
    },
  }
}

export function musicDirectory(call: Call): Node {
  const { params, principal, deps } = call
  const raw = params.required('id')
  const id = parseId(raw)
  const folderIds = principal.folderIds
  if (id.kind === 'directory') {
    if (!folderIds.includes(id.folderId)) throw notFound(`directory ${raw}`)
    const dir = orNotFound(`directory ${raw}`, () =>
      deps.catalog.getDirectory(id.folderId, id.dir, { folderIds }),
    )
    const here = directoryId(id.folderId, id.dir)
    const songs = deps.catalog.listSongs({
      dir: { folderId: id.folderId, dir: id.dir },
      folderIds,
      order: 'dir',
    })
    return {
      directory: {
        id: here,
        parent: dir.parent === null ? undefined : directoryId(id.folderId, dir.parent),
        name: dir.name || (deps.listFolders().find((f) => f.id === id.folderId)?.name ?? ''),
        child: [
          ...dir.subdirectories.map((d) => ({
            id: directoryId(id.folderId, d.dir),
            parent: here,
            isDir: true,
            title: d.name,
            coverArt: d.coverId ?? undefined,
          })),
          ...songNodes(call, songs),
        ],
      },
    }
  }
  if (id.kind === 'album') {
    const album = deps.catalog.listAlbumsAt({ ids: [id.id], folderIds })[0]
    if (!album) throw notFound(`album ${raw}`)
    const songs = deps.catalog.listSongs({ albumId: id.id, folderIds })
    return {
      directory: {
        id: raw,
        parent: album.albumArtistId === null ? undefined : `ar-${album.albumArtistId}`,
        name: album.name,
        child: songNodes(call, songs).map((s) => ({ ...s, parent: raw })),
      },
    }
  }
  if (id.kind === 'artist') {
    const artist = orNotFound(`artist ${raw}`, () => deps.catalog.getArtist(id.id, folderIds))
    return {
      directory: {
        id: raw,
        name: artist.name,
        child: albums(call, [...artist.albums, ...artist.appearsOn], 'child').map((a) => ({
          ...a,
          parent: raw,
        })),
      },
    }
  }
  throw notFound(`directory ${raw.slice(0, 80)}`)
}
