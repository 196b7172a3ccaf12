import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { hasScope, isAdmin } from '../../accounts/index.ts'
import type { AppEnv } from '../context.ts'
import { authenticate, checkVersion } from './auth.ts'
import type { SubsonicDeps } from './context.ts'
import { errorBody, type Format, formatOf, respond } from './encode.ts'
import { CODES, notAuthorized, SubsonicError, toSubsonicError } from './errors.ts'
import { Params } from './params.ts'
import { ROUTES } from './routes.ts'

// `/rest/<endpoint>` and `/rest/<endpoint>.view`, GET or form POST: parameters, format, protocol
// version, credentials, role, then the endpoint's handler from the one route table. API errors are
// HTTP 200 with the error envelope, as every Subsonic client expects.

const FORM_LIMIT_BYTES = 1024 * 1024

export function subsonicRoutes(deps: SubsonicDeps) {
  const app = new Hono<AppEnv>()
  // Web clients (on their own origin) send credentials in parameters, never cookies: any origin may call.
  app.use('/rest/*', async (c, next) => {
    await next()
    c.res.headers.set('access-control-allow-origin', '*')
  })
  app.options('/rest/*', (c) =>
    c.body(null, 204, {
      'access-control-allow-methods': 'GET, POST, HEAD',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '86400',
    }),
  )
  app.use(
    '/rest/*',
    bodyLimit({
      maxSize: FORM_LIMIT_BYTES,
      onError: (c) => respond(c, { kind: 'xml' }, deps.version, errorBody(tooLarge()), 'failed'),
    }),
  )
  app.on(['GET', 'HEAD', 'POST'], '/rest/:endpoint', async (c) => {
    const name = c.req
      .param('endpoint')
      .replace(/\.view$/, '')
      .replace(/\.m3u8$/, '')
    let format: Format = { kind: 'xml' }
    try {
      const params = await Params.from(c.req.raw)
      format = formatOf(params.get('f'), params.get('callback'))
      const route = Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined
      if (!route) return respond(c, format, deps.version, errorBody(unknown(name)), 'failed', 404)
      checkVersion(params.get('v'))
      if ('public' in route) return respond(c, format, deps.version, route.public())
      const principal = authenticate(deps.accounts, params, {
        address: c.get('client')?.address,
        hasOtherCredentials:
          c.req.header('authorization') !== undefined || c.req.header('cookie') !== undefined,
      })
      c.set('principal', principal)
      if (route.admin && !isAdmin(principal)) throw notAuthorized(`only an admin may call ${name}`)
      if (route.write && !hasScope(principal, 'write'))
        throw notAuthorized(`this API key is read-only and ${name} changes something`)
      const out = await route.handler({ params, principal, c, deps })
      if (out instanceof Response) return out
      return respond(c, format, deps.version, out)
    } catch (err) {
      const known = toSubsonicError(err)
      if (!known) c.get('log')?.error({ err, endpoint: name }, 'subsonic handler failed')
      const e = known ?? new SubsonicError(CODES.generic, 'internal error; the server log has the details')
      return respond(c, format, deps.version, errorBody(e), 'failed')
    }
  })
  return app
}

const unknown = (name: string) =>
  new SubsonicError(
    CODES.generic,
    `unknown endpoint ${name.slice(0, 60)}: see getOpenSubsonicExtensions and the README`,
  )
const tooLarge = () =>
  new SubsonicError(CODES.generic, `request body too large: at most ${FORM_LIMIT_BYTES / 1024} KiB`)
