import type { Context } from 'hono'
import type { Accounts, Principal } from '../../accounts/index.ts'
import type { Catalog, MusicFolder } from '../../catalog/index.ts'
import type { Devices } from '../../devices/index.ts'
import type { Events } from '../../events/index.ts'
import type { Library } from '../../library/index.ts'
import type { Playlists } from '../../playlists/index.ts'
import type { Recommender } from '../../recommend/index.ts'
import type { Search } from '../../search/index.ts'
import type { Shares } from '../../shares/index.ts'
import type { Streaming } from '../../stream/index.ts'
import type { AppEnv } from '../context.ts'
import type { Node } from './encode.ts'
import type { Params } from './params.ts'

/** The domains the Subsonic API translates to; events and streaming are absent in some test apps. */
export interface SubsonicDeps {
  version: string
  accounts: Accounts
  catalog: Catalog
  devices: Devices
  listFolders: () => MusicFolder[]
  events?: Events
  streaming?: Streaming
  search?: Search
  playlists?: Playlists
  library?: Library
  recommend?: Recommender
  shares?: Shares
}

/** One authenticated call: the parameters, who makes it, and the HTTP context for binary answers. */
export interface Call {
  params: Params
  principal: Principal
  c: Context<AppEnv>
  deps: SubsonicDeps
}

export type Handler = (call: Call) => Node | Response | Promise<Node | Response>

export type Route = AuthenticatedRoute | PublicRoute

/** Answered without credentials (OpenSubsonic: clients ask for the extensions before signing in). */
export interface PublicRoute {
  public: () => Node
}

export interface AuthenticatedRoute {
  handler: Handler
  /** Only admins (user management, scans). */
  admin?: boolean
  /** Changes something the user owns: an API key with only the read scope may not call it. */
  write?: boolean
}

export type RouteTable = Record<string, Route>
