import { eq, sql } from 'drizzle-orm'
import { albumArtists, albums, artists, covers, genres } from '../../db/schema/index.ts'
import type { Db } from '../../platform/sqlite.ts'
import { fold, sortKeyOf, sortNameOf } from '../normalize.ts'
import type { CoverRef, TrackTags } from './types.ts'

// Find-or-create for the rows tracks point at (artists, genres, albums, covers), with small
// caches so a batch of a thousand tracks by one artist asks SQLite once. The caches are cleared
// past a bound, so a huge library never grows them without limit.

const CACHE_LIMIT = 5000
const p = (name: string) => sql.placeholder(name)

function bounded<V>(): Map<string, V> & { remember(key: string, value: V): V } {
  const map = new Map<string, V>() as Map<string, V> & { remember(key: string, value: V): V }
  map.remember = (key, value) => {
    if (map.size >= CACHE_LIMIT) map.clear()
    map.set(key, value)
    return value
  }
  return map
}

export function albumGroupKey(tags: TrackTags): string {
  return [fold(tags.albumArtist), fold(tags.album), tags.mbAlbumId ?? ''].join('\u0001')
}

export function createEntities(db: Db) {
  const artistIds = bounded<number>()
  const genreIds = bounded<number>()
  const albumIds = bounded<number>()
  const knownCovers = bounded<true>()
  const dirtyAlbums = new Set<number>()

  const upsertArtist = db
    .insert(artists)
    .values({
      name: p('name'),
      normName: p('norm'),
      sortName: p('sortName'),
      sortKey: p('sortKey'),
      mbArtistId: p('mbid'),
    })
    .onConflictDoUpdate({
      target: artists.normName,
      // A sort tag or MusicBrainz id seen later fills in what the first file lacked.
      set: {
        dirty: true,
        sortName: sql`CASE WHEN ${p('hasSort')} THEN excluded.sort_name ELSE ${artists.sortName} END`,
        sortKey: sql`CASE WHEN ${p('hasSort')} THEN excluded.sort_key ELSE ${artists.sortKey} END`,
        mbArtistId: sql`coalesce(${artists.mbArtistId}, excluded.mb_artist_id)`,
      },
    })
    .returning({ id: artists.id })
    .prepare()

  const upsertGenre = db
    .insert(genres)
    .values({ name: p('name'), normName: p('norm') })
    .onConflictDoUpdate({ target: genres.normName, set: { normName: sql`excluded.norm_name` } })
    .returning({ id: genres.id })
    .prepare()

  const findAlbum = db
    .select({ id: albums.id })
    .from(albums)
    .where(eq(albums.groupKey, p('key')))
    .prepare()
  const insertAlbum = db
    .insert(albums)
    .values({
      groupKey: p('key'),
      name: p('name'),
      sortKey: p('sortKey'),
      albumArtist: p('albumArtist'),
      albumArtistId: p('albumArtistId'),
      compilation: p('compilation'),
      mbAlbumId: p('mbAlbumId'),
      createdAt: p('now'),
    })
    .returning({ id: albums.id })
    .prepare()
  const insertAlbumArtist = db
    .insert(albumArtists)
    .values({ albumId: p('albumId'), artistId: p('artistId'), position: p('position') })
    .onConflictDoNothing()
    .prepare()
  const markAlbumDirty = db
    .update(albums)
    .set({ dirty: true })
    .where(eq(albums.id, p('id')))
    .prepare()
  const insertCover = db
    .insert(covers)
    .values({ id: p('id'), mime: p('mime'), bytes: p('bytes') })
    .onConflictDoNothing()
    .prepare()

  function artistId(name: string, sort: string | null, mbid: string | null): number {
    const norm = fold(name)
    const cached = artistIds.get(norm)
    if (cached !== undefined && sort === null) return cached
    const sortName = sort ?? sortNameOf(name)
    const row = upsertArtist.get({
      name,
      norm,
      sortName,
      sortKey: sortKeyOf(sort ?? name),
      mbid,
      hasSort: sort === null ? 0 : 1,
    }) as { id: number }
    return artistIds.remember(norm, row.id)
  }

  return {
    artistId,
    /** Artist ids in tag order; the sort tag and MusicBrainz ids only apply when they map 1:1. */
    artistIds(names: string[], sort: string | null, mbids: string[]): number[] {
      return names.map((name, i) =>
        artistId(
          name,
          names.length === 1 ? sort : null,
          mbids.length === names.length ? (mbids[i] ?? null) : null,
        ),
      )
    },
    genreId(name: string): number {
      const norm = fold(name)
      return (
        genreIds.get(norm) ?? genreIds.remember(norm, (upsertGenre.get({ name, norm }) as { id: number }).id)
      )
    },
    /** The album for these tags, created on first sight; always left dirty for the refresh. */
    albumId(tags: TrackTags, now: number): number {
      const key = albumGroupKey(tags)
      const cached = albumIds.get(key) ?? (findAlbum.get({ key }) as { id: number } | undefined)?.id
      if (cached !== undefined) {
        // Marked once per batch: the refresh at the end of the batch recomputes it.
        if (!dirtyAlbums.has(cached)) markAlbumDirty.run({ id: cached })
        dirtyAlbums.add(cached)
        return albumIds.remember(key, cached)
      }
      const ids = this.artistIds(tags.albumArtists, tags.albumArtistSort, tags.mbAlbumArtistIds)
      const row = insertAlbum.get({
        key,
        name: tags.album,
        sortKey: sortKeyOf(tags.albumSort ?? tags.album),
        albumArtist: tags.albumArtist,
        albumArtistId: ids[0] ?? null,
        compilation: tags.compilation ? 1 : 0,
        mbAlbumId: tags.mbAlbumId,
        now,
      }) as { id: number }
      for (const [position, artistId] of ids.entries())
        insertAlbumArtist.run({ albumId: row.id, artistId, position })
      dirtyAlbums.add(row.id)
      return albumIds.remember(key, row.id)
    },
    cover(cover: CoverRef | null): string | null {
      if (!cover) return null
      if (!knownCovers.has(cover.id)) {
        insertCover.run({ id: cover.id, mime: cover.mime, bytes: cover.bytes })
        knownCovers.remember(cover.id, true)
      }
      return cover.id
    },
    /** A batch was written and its dirty albums refreshed. */
    batchDone(): void {
      dirtyAlbums.clear()
    },
    /** Rows may have been deleted by the sweep; forget every id remembered. */
    forget(): void {
      artistIds.clear()
      genreIds.clear()
      albumIds.clear()
      knownCovers.clear()
    },
  }
}

export type Entities = ReturnType<typeof createEntities>
