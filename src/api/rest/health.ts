import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../context.ts'

export const HealthSchema = z
  .object({
    status: z
      .enum(['ok', 'degraded'])
      .openapi({ description: '`degraded` when a component reports a problem' }),
    version: z.string(),
    runtime: z.string(),
    uptimeSeconds: z.number(),
    components: z.record(z.string(), z.object({ status: z.string() }).catchall(z.unknown())),
  })
  .openapi('Health')

export type HealthReport = z.infer<typeof HealthSchema>

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness and component status; needs no authentication',
  security: [],
  responses: {
    200: { description: 'The server is up', content: { 'application/json': { schema: HealthSchema } } },
  },
})

export function healthRoutes(report: () => HealthReport) {
  return new OpenAPIHono<AppEnv>().openapi(route, (c) => c.json(report(), 200))
}
