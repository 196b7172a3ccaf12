import type { Principal } from '../../accounts/index.ts'
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
