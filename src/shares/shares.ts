import { randomBytes } from 'node:crypto'
import { asc, desc, eq, sql } from 'drizzle-orm'
import { isAdmin, type Principal } from '../accounts/index.ts'
import type { TrackSummary } from '../catalog/index.ts'
import { shareItems, shares } from '../db/schema/index.ts'
import { DomainError, forbidden, invalid, notFound } from '../lib/errors.ts'
import type { Db } from '../platform/sqlite.ts'
import type { PlaylistDetail } from '../playlists/index.ts'
import type { Access, PlayInfo } from '../stream/index.ts'
import {
  type NewShare,
  SHARE_ID,
  SHARE_LIMITS,
  type Share,
  type ShareItem,
  type ShareItemRef,
  type SharePatch,
  type Sharer,
  type ShareStream,
  type ShareView,
} from './types.ts'

export interface SharesDeps {
  db: Db
  /** The catalog's bulk track lookup and album detail (which throws not found for an album out of reach). */
  trackSummaries: (ids: readonly number[], folderIds: readonly number[]) => Map<number, TrackSummary>
  album: (id: number, folderIds: readonly number[]) => { name: string; tracks: TrackSummary[] }
  /** The playlists domain's get, as the owner would see it. */
  playlist: (viewer: Principal, id: number) => PlaylistDetail
  /** A user's rights as they are now (accounts' signedUrlPrincipal); null once the user is gone. */
  rightsOf: (userId: number) => Principal | null
  /** The streaming domain's play call: signed media URLs for a user. */
  play: (access: Access, trackId: number) => Promise<PlayInfo>
  now?: () => number
}

type Row = typeof shares.$inferSelect & { username: string }

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const gone = (id: string) => notFound(`share ${id}`)

/** Public, expiring links to tracks, albums and playlists, played with media URLs issued for the owner. */
export function createShares(deps: SharesDeps) {
  const { db } = deps
  const now = deps.now ?? Date.now

  function row(id: string): Row | undefined {
    if (!SHARE_ID.test(id)) return undefined
    return db.all<Row>(sql`SELECT s.id, s.owner_id AS ownerId, s.description, s.created_at AS createdAt,
        s.changed_at AS changedAt, s.expires_at AS expiresAt, s.visit_count AS visitCount,
        s.last_visited_at AS lastVisitedAt, u.username
      FROM shares s JOIN users u ON u.id = s.owner_id WHERE s.id = ${id}`)[0]
  }

  /** A share the caller owns (or any, for an admin); someone else's is a 404, as if it did not exist. */
  function owned(sharer: Sharer, id: string): Row {
    const r = row(id)
    if (!r || !(r.ownerId === sharer.userId || isAdmin(sharer))) throw gone(id)
    return r
  }

  function refsOf(id: string): ShareItemRef[] {
    return db
      .select()
      .from(shareItems)
      .where(eq(shareItems.shareId, id))
      .orderBy(asc(shareItems.position))
      .all()
      .map((i) =>
        i.trackId !== null
          ? { kind: 'track' as const, id: i.trackId }
          : i.albumId !== null
            ? { kind: 'album' as const, id: i.albumId }
            : { kind: 'playlist' as const, id: i.playlistId as number },
      )
  }

  const quietly = <T>(read: () => T): T | null => {
    try {
      return read()
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') return null
      throw err
    }
  }

  /** Items as `viewer` may see them now; null in place of each one out of their reach. */
  function resolve(viewer: Principal, refs: readonly ShareItemRef[]): (ShareItem | null)[] {
    const tracks = deps.trackSummaries(
      refs.filter((r) => r.kind === 'track').map((r) => r.id),
      viewer.folderIds,
    )
    return refs.map((ref): ShareItem | null => {
      if (ref.kind === 'track') {
        const track = tracks.get(ref.id)
        return track ? { ...ref, name: track.title, tracks: [track] } : null
      }
      if (ref.kind === 'album') {
        const album = quietly(() => deps.album(ref.id, viewer.folderIds))
        return album ? { ...ref, name: album.name, tracks: album.tracks } : null
      }
      const playlist = quietly(() => deps.playlist(viewer, ref.id))
      return playlist ? { ...ref, name: playlist.name, tracks: playlist.entries.map((e) => e.track) } : null
    })
  }

  /** The owner's rights, while they may still share; a share of someone who may not is as good as gone. */
  function ownerOf(r: Row): Principal {
    const rights = deps.rightsOf(r.ownerId)
    if (!rights?.canShare) throw gone(r.id)
    return rights
  }

  function toShare(r: Row): Share {
    const rights = deps.rightsOf(r.ownerId)
    const items = rights ? resolve(rights, refsOf(r.id)).filter((i): i is ShareItem => i !== null) : []
    return {
      id: r.id,
      path: `/share/${r.id}`,
      description: r.description,
      owner: { id: r.ownerId, username: r.username },
      createdAt: iso(r.createdAt),
      changedAt: iso(r.changedAt),
      expiresAt: iso(r.expiresAt),
      expired: r.expiresAt <= now(),
      visitCount: r.visitCount,
      lastVisitedAt: r.lastVisitedAt === null ? null : iso(r.lastVisitedAt),
      items,
    }
  }

  function checkExpiry(expiresAt: number | undefined): number {
    const at = now()
    if (expiresAt === undefined) return at + SHARE_LIMITS.defaultDays * DAY
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= at)
      throw invalid('expiresAt: must be in the future', { field: 'expiresAt' })
    if (expiresAt > at + SHARE_LIMITS.maxDays * DAY)
      throw invalid(`expiresAt: at most ${SHARE_LIMITS.maxDays} days ahead`, { field: 'expiresAt' })
    return expiresAt
  }

  function checkDescription(description: string | undefined): string | undefined {
    if (description === undefined) return undefined
    const text = description.trim()
    if (text.length > SHARE_LIMITS.description)
      throw invalid(`description: at most ${SHARE_LIMITS.description} characters`, { field: 'description' })
    return text
  }

  /**
   * What anyone with the link sees, counting the visit. Unknown, deleted and disabled shares
   * (the owner gone or no longer allowed to share) are not found; an expired one says so.
   */
  function open(id: string, opts: { countVisit?: boolean } = {}): ShareView {
    const r = row(id)
    if (!r) throw gone(id)
    const owner = ownerOf(r)
    if (r.expiresAt <= now()) return { state: 'expired', expiredAt: iso(r.expiresAt) }
    if (opts.countVisit)
      db.update(shares)
        .set({ visitCount: sql`${shares.visitCount} + 1`, lastVisitedAt: now() })
        .where(eq(shares.id, id))
        .run()
    const items = resolve(owner, refsOf(id)).filter((i): i is ShareItem => i !== null)
    return {
      state: 'active',
      share: { id, description: r.description, owner: r.username, expiresAt: iso(r.expiresAt), items },
    }
  }

  return {
    /** Shares a list of items the caller may see; needs the may-share right. */
    create(sharer: Principal, input: NewShare): Share {
      if (!sharer.canShare) throw forbidden('sharing is turned off for your account')
      const { items } = input
      if (items.length === 0) throw invalid('items: name at least one item', { field: 'items' })
      if (items.length > SHARE_LIMITS.items)
        throw invalid(`items: at most ${SHARE_LIMITS.items}`, { field: 'items' })
      resolve(sharer, items).forEach((item, i) => {
        const ref = items[i] as ShareItemRef
        if (!item)
          throw invalid(`items[${i}]: there is no ${ref.kind} ${ref.id} you may see`, {
            field: `items[${i}]`,
          })
      })
      const description = checkDescription(input.description) ?? ''
      const expiresAt = checkExpiry(input.expiresAt)
      const id = randomBytes(16).toString('base64url')
      const at = now()
      db.transaction(() => {
        db.insert(shares)
          .values({ id, ownerId: sharer.userId, description, createdAt: at, changedAt: at, expiresAt })
          .run()
        db.insert(shareItems)
          .values(
            items.map((ref, position) => ({
              shareId: id,
              position,
              trackId: ref.kind === 'track' ? ref.id : null,
              albumId: ref.kind === 'album' ? ref.id : null,
              playlistId: ref.kind === 'playlist' ? ref.id : null,
            })),
          )
          .run()
      })
      return toShare(row(id) as Row)
    },

    /** The caller's shares, newest first (every user's for an admin who asks with `all`). */
    list(sharer: Sharer, opts: { all?: boolean } = {}): Share[] {
      const everyone = opts.all === true && isAdmin(sharer)
      const ids = db
        .select({ id: shares.id })
        .from(shares)
        .where(everyone ? undefined : eq(shares.ownerId, sharer.userId))
        .orderBy(desc(shares.createdAt), desc(shares.id))
        .all()
      return ids.map((r) => toShare(row(r.id) as Row))
    },

    get: (sharer: Sharer, id: string): Share => toShare(owned(sharer, id)),

    update(sharer: Sharer, id: string, patch: SharePatch): Share {
      const description = checkDescription(patch.description)
      const expiresAt = patch.expiresAt === undefined ? undefined : checkExpiry(patch.expiresAt)
      db.transaction(() => {
        owned(sharer, id)
        db.update(shares)
          .set({
            ...(description === undefined ? {} : { description }),
            ...(expiresAt === undefined ? {} : { expiresAt }),
            changedAt: now(),
          })
          .where(eq(shares.id, id))
          .run()
      })
      return toShare(row(id) as Row)
    },

    delete(sharer: Sharer, id: string): void {
      db.transaction(() => {
        owned(sharer, id)
        db.delete(shares).where(eq(shares.id, id)).run()
      })
    },

    open,

    /**
     * Signed media URLs for one track of an active share, issued for its owner (so their grants
     * and bitrate cap apply) at the moment of asking; a track the share does not hold is not found.
     */
    async stream(id: string, trackId: number): Promise<ShareStream> {
      const view = open(id)
      if (view.state === 'expired') return view
      const held = view.share.items.some((i) => i.tracks.some((t) => t.id === trackId))
      if (!held) throw notFound(`track ${trackId} in share ${id}`)
      const owner = ownerOf(row(id) as Row)
      return { state: 'active', play: await deps.play(owner, trackId) }
    },
  }
}

export type Shares = ReturnType<typeof createShares>
