import type { Principal } from '../../accounts/index.ts'
import type { Page } from '../../catalog/index.ts'
import { notFound } from './errors.ts'
import type { Params } from './params.ts'

// The folder filter every catalog call gets: the user's grants, narrowed by `musicFolderId`
// when a client asks for one folder (one it may see — else the folder is "not found").

export function foldersOf(principal: Principal, params: Params, name = 'musicFolderId'): number[] {
  const asked = params.int(name, { min: 1 })
  if (asked === undefined) return [...principal.folderIds]
  if (!principal.folderIds.includes(asked)) throw notFound(`music folder ${asked}`)
  return [asked]
}

/** Every page of a cursor-paginated catalog list (the lists Subsonic returns whole: artists, genres). */
export function allPages<T>(fetch: (cursor?: string) => Page<T>): T[] {
  const out: T[] = []
  let cursor: string | undefined
  do {
    const page = fetch(cursor)
    out.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return out
}
