import { annotationRoutes } from './annotation.ts'
import { browsingRoutes } from './browsing.ts'
import type { RouteTable } from './context.ts'
import { libraryRoutes } from './library.ts'
import { listRoutes } from './lists.ts'
import { mediaRoutes } from './media.ts'
import { playlistRoutes } from './playlists.ts'
import { queueRoutes } from './queue.ts'
import { scanningRoutes } from './scanning.ts'
import { searchingRoutes } from './searching.ts'
import { sharingRoutes } from './sharing.ts'
import { systemRoutes } from './system.ts'
import { unsupportedRoutes } from './unsupported.ts'
import { userRoutes } from './users.ts'

/** Every endpoint this server answers, by chapter of the spec (the README's table lists each one). */
export const ROUTES: RouteTable = {
  ...systemRoutes,
  ...browsingRoutes,
  ...listRoutes,
  ...searchingRoutes,
  ...mediaRoutes,
  ...playlistRoutes,
  ...annotationRoutes,
  ...libraryRoutes,
  ...queueRoutes,
  ...sharingRoutes,
  ...userRoutes,
  ...scanningRoutes,
  ...unsupportedRoutes,
}
