import { z } from '@hono/zod-openapi'

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z
      .string()
      .openapi({ description: 'Stable machine-readable name, e.g. invalid, unauthorized, not_found, busy' }),
    requestId: z.string().optional(),
    field: z
      .string()
      .optional()
      .openapi({ description: 'The first offending field, e.g. `events[3].heardMs`' }),
    retryAfterSeconds: z.number().optional().openapi({ description: 'For 429s; also in Retry-After' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Every offending field, when there are several' }),
  })
  .catchall(z.unknown())
  // The one Problem component of the OpenAPI document: every route's error responses use it.
  .openapi('Problem')

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
})

/** The errors any authenticated route may answer with (RFC 9457 problem documents). */
export const ProblemResponses = {
  400: problem('The request is invalid; `field` and `errors` say where'),
  401: problem('Not signed in'),
  403: problem('Not allowed for this user'),
} as const
