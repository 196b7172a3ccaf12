import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context.ts'
import { NONCE_SLOT, type OpenApiDocument, renderDocs } from '../docs/render.ts'

const route = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['system'],
  summary: 'This documentation as a readable page (HTML); needs no authentication',
  security: [],
  responses: { 200: { description: 'The page', content: { 'text/html': { schema: z.string() } } } },
})

/** `document` is called once, on the first request, when every route has been registered. */
export function docsRoutes(document: () => OpenApiDocument) {
  let html: string | undefined
  return new OpenAPIHono<AppEnv>().openapi(route, (c) => {
    html ??= renderDocs(document())
    return c.html(html.replaceAll(NONCE_SLOT, c.get('secureHeadersNonce') ?? ''), 200)
  })
}
