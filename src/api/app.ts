import { OpenAPIHono, z } from '@hono/zod-openapi'
import { requestId } from 'hono/request-id'
import type { Accounts } from '../accounts/index.ts'
import type { Catalog, MusicFolder } from '../catalog/index.ts'
import type { Devices } from '../devices/index.ts'
import type { Events } from '../events/index.ts'
import { addressSet } from '../lib/ip.ts'
import type { Logger } from '../lib/logger.ts'
import type { StatusBoard } from '../lib/status.ts'
import type { Library } from '../library/index.ts'
import { runtimeName } from '../platform/runtime.ts'
import type { Playlists } from '../playlists/index.ts'
import type { Recommender } from '../recommend/index.ts'
import type { PlaylistSearch, Search } from '../search/index.ts'
import type { Shares } from '../shares/index.ts'
import type { Streaming } from '../stream/index.ts'
import type { WebAsset } from '../webapp/index.ts'
import { clientInfo } from './client.ts'
import type { AppEnv } from './context.ts'
import type { OpenApiDocument } from './docs/render.ts'
import { authenticate } from './guard.ts'
import { type Metrics, measure } from './metrics.ts'
import { setupPage } from './pages/setup-page.ts'
import { sharePage } from './pages/share-page.ts'
import { errorToResponse, problem } from './problem.ts'
import { auditRoutes } from './rest/audit.ts'
import { authRoutes } from './rest/auth.ts'
import { deviceRoutes } from './rest/devices.ts'
import { docsRoutes } from './rest/docs.ts'
import { downloadRoutes } from './rest/download.ts'
import { healthRoutes } from './rest/health.ts'
import { meRoutes } from './rest/me.ts'
import { mediaRoutes } from './rest/media.ts'
import { hotMedia } from './rest/media-hot.ts'
import { mediaPipeline } from './rest/media-pipeline.ts'
import { playRoutes } from './rest/play.ts'
import { setupRoutes } from './rest/setup.ts'
import { tokenRoutes } from './rest/tokens.ts'
import { userRoutes } from './rest/users.ts'
import { corsFor, limitBody, securityHeaders } from './security.ts'
import { webappRoutes } from './webapp.ts'
import type { SocketLimits } from './ws/connection.ts'
import { socketRoutes } from './ws/route.ts'
import { createSockets } from './ws/sockets.ts'

/** The security settings of the configuration (see src/config/fields.ts for what each means). */
export interface SecurityOptions {
  trustedProxies: string[]
  authHeader: string
  authHeaderCreateUsers: boolean
  corsOrigins: string[]
  bodyLimitKb: number
  setupFromAnyAddress: boolean
}

const SECURITY_DEFAULTS = {
  trustedProxies: [],
  authHeader: '',
  authHeaderCreateUsers: false,
  corsOrigins: [],
  bodyLimitKb: 1024,
  setupFromAnyAddress: false,
} satisfies SecurityOptions

import { catalogRoutes } from './rest/catalog.ts'
import { coverRoutes } from './rest/covers.ts'
import { eventRoutes } from './rest/events.ts'
import { libraryRoutes } from './rest/library.ts'
import { playlistRoutes } from './rest/playlists.ts'
import { recommendRoutes } from './rest/recommend.ts'
import { validationHook } from './rest/router.ts'
import { scanRoutes } from './rest/scan.ts'
import { scrobblerRoutes } from './rest/scrobblers.ts'
import { searchRoutes } from './rest/search.ts'
import { shareRoutes } from './rest/shares.ts'
import { statsRoutes } from './rest/stats.ts'
import { subsonicRoutes } from './subsonic/index.ts'

export interface AppDeps {
  version: string
  logger: Logger
  metrics: Metrics
  status: StatusBoard
  accounts: Accounts
  devices: Devices
  listFolders: () => MusicFolder[]
  security?: Partial<SecurityOptions>
  /** Browse, covers and scan routes; an app without it serves only the system routes. */
  catalog?: Catalog
  startedAt?: number
  /** The bundled web app; left out, the server is API-only (as in most in-process tests). */
  webAssets?: Map<string, WebAsset>
  /** Listening events, statistics and scrobbling; absent in apps built for other tests. */
  events?: Events
  /** Limits of the device channel (frame size, rate, heartbeat); defaults in src/api/ws/sockets.ts. */
  sockets?: Partial<SocketLimits>
  /** The play call and the signed media routes; absent in apps built for other tests. */
  streaming?: Streaming
  /** Search and suggestions over the catalog (needs `catalog` for the results' summaries). */
  search?: Search
  /** Playlists in search results (needs `playlists` for their summaries). */
  playlistSearch?: PlaylistSearch
  /** Playlists, and stars, ratings and bookmarks; absent in apps built for other tests. */
  playlists?: Playlists
  library?: Library
  /** "More like this", radio and mixes, learned from the household's listening. */
  recommend?: Recommender
  /** Public share links: their REST routes, the media route and the /share/<id> page. */
  shares?: Shares
}

export function createApp(deps: AppDeps) {
  const startedAt = deps.startedAt ?? Date.now()
  const security: SecurityOptions = { ...SECURITY_DEFAULTS, ...deps.security }
  const { accounts } = deps
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  // Signed media first: their handlers answer before the general middleware below would run.
  if (deps.streaming) {
    app.route(
      '/api',
      mediaRoutes(deps.streaming, mediaPipeline({ accounts, metrics: deps.metrics, logger: deps.logger })),
    )
  }
  app.use(requestId({ headerName: 'X-Request-Id' }))
  app.use(async (c, next) => {
    const log = deps.logger.child({ reqId: c.get('requestId') })
    c.set('log', log)
    const t0 = performance.now()
    await next()
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        user: c.get('principal')?.username,
        ms: +(performance.now() - t0).toFixed(1),
      },
      'request',
    )
  })
  app.use(measure(deps.metrics))
  app.use(securityHeaders())
  app.use(clientInfo(addressSet(security.trustedProxies)))
  const cors = corsFor(security.corsOrigins)
  if (cors) app.use('/api/*', cors)
  app.use('/api/*', limitBody(security.bodyLimitKb))
  // Every /api route needs a principal unless the guard lists it as public: routes added later
  // are protected by default.
  app.use(
    '/api/*',
    authenticate({
      accounts,
      authHeader: security.authHeader,
      authHeaderCreateUsers: security.authHeaderCreateUsers,
      allowedOrigins: security.corsOrigins,
    }),
  )
  app.onError(errorToResponse)
  app.notFound((c) => problem(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`))

  app.route(
    '/api',
    healthRoutes(() => ({
      status: deps.status.degraded() ? 'degraded' : 'ok',
      version: deps.version,
      runtime: runtimeName,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components: deps.status.snapshot(),
    })),
  )
  app.route('/api', authRoutes(accounts))
  app.route('/api', setupRoutes(accounts, { anyAddress: security.setupFromAnyAddress }))
  app.route('/api', userRoutes(accounts))
  app.route('/api', tokenRoutes(accounts))
  app.route('/api', meRoutes(accounts, deps.listFolders))
  app.route('/api', auditRoutes(accounts))
  app.route('/api', deviceRoutes(deps.devices))
  const sockets = createSockets({
    devices: deps.devices,
    log: deps.logger,
    metrics: deps.metrics,
    limits: deps.sockets,
  })
  app.route('/api', socketRoutes(sockets, accounts))
  app.route('/', setupPage(accounts, { anyAddress: security.setupFromAnyAddress }))

  if (deps.catalog) {
    app.route('/api', catalogRoutes(deps.catalog))
    app.route('/api', coverRoutes(deps.catalog))
    app.route('/api', scanRoutes(deps.catalog))
    if (deps.search)
      app.route(
        '/api',
        searchRoutes(
          deps.search,
          deps.catalog,
          deps.playlistSearch && deps.playlists
            ? { index: deps.playlistSearch, playlists: deps.playlists }
            : undefined,
        ),
      )
    // Subsonic authenticates itself with its own credentials (u/p, u/t/s, apiKey), so it lives
    // outside /api and its bearer-token guard.
    app.route(
      '/',
      subsonicRoutes({
        version: deps.version,
        accounts,
        catalog: deps.catalog,
        devices: deps.devices,
        listFolders: deps.listFolders,
        events: deps.events,
        streaming: deps.streaming,
        search: deps.search,
        playlists: deps.playlists,
        library: deps.library,
        recommend: deps.recommend,
        shares: deps.shares,
      }),
    )
  }
  if (deps.events) {
    app.route('/api', eventRoutes(deps.events))
    app.route('/api', statsRoutes(deps.events))
    app.route('/api', scrobblerRoutes(deps.events))
  }
  if (deps.streaming) app.route('/api', playRoutes(deps.streaming))
  if (deps.streaming && deps.catalog) {
    const { catalog, streaming, playlists } = deps
    app.route('/api', downloadRoutes({ catalog, streaming, playlists }))
  }
  if (deps.playlists) app.route('/api', playlistRoutes(deps.playlists))
  if (deps.library) app.route('/api', libraryRoutes(deps.library))
  if (deps.recommend) app.route('/api', recommendRoutes(deps.recommend))
  if (deps.shares) {
    app.route('/api', shareRoutes(deps.shares))
    app.route('/', sharePage(deps.shares))
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API token (POST /api/tokens) or the token returned by POST /api/auth/login',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'cookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'tonearm_session',
    description: 'the browser session; writes also need a same-origin Origin or Referer header',
  })
  // The document describes itself too, so "every /api route is in the document" has no exceptions.
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    tags: ['system'],
    summary: 'This OpenAPI 3.1 document; needs no authentication',
    security: [],
    responses: {
      200: {
        description: 'The document',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
  })
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Tonearm API',
      version: deps.version,
      description: 'The HTTP API of a Tonearm music server',
    },
    // Every operation needs one of these unless it says `security: []` (the public routes).
    security: [{ bearer: [] }, { cookie: [] }] as Record<string, string[]>[],
  }
  app.route(
    '/api',
    docsRoutes(() => app.getOpenAPI31Document(documentConfig) as unknown as OpenApiDocument),
  )
  app.doc31('/api/openapi.json', documentConfig)

  app.get('/metrics', async (c) =>
    c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  )

  if (deps.webAssets) app.route('/', webappRoutes(deps.webAssets))

  if (deps.streaming) {
    // Cached segments are answered before Hono routes the request (see media-hot.ts); the server
    // and app.request() both call app.fetch, so tests and production take the same way.
    const hot = hotMedia({ streaming: deps.streaming, accounts, metrics: deps.metrics, logger: deps.logger })
    const full = app.fetch
    app.fetch = (req, env, ctx) => hot(req) ?? full(req, env, ctx)
  }
  return app
}

export type App = ReturnType<typeof createApp>
