import type { z } from 'zod'
import { invalid } from '../lib/errors.ts'
import { BatchSchema, type EventInput, type Source } from './schema.ts'

export interface FieldError {
  /** Where the problem is, as a client would write it: `events[3].heardMs`. */
  path: string
  message: string
}

const MAX_REPORTED = 50

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out || '(body)'
}

/** Every issue of a failed parse (up to a bound), so a client can fix a whole batch in one go. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.slice(0, MAX_REPORTED).map((i) => ({ path: formatPath(i.path), message: i.message }))
}

/** The problem a rejected batch becomes; nothing of the batch is stored. */
export function batchRejected(errors: FieldError[]) {
  const first = errors[0]
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''
  return invalid(`${first ? `${first.path}: ${first.message}` : 'invalid batch'}${more}`, {
    field: first?.path,
    errors,
  })
}

/**
 * For callers holding raw JSON (the device channel, scripts through the domain): the same
 * all-or-nothing validation POST /api/events applies.
 */
export function parseBatch(input: unknown): { source: Source; events: EventInput[] } {
  const parsed = BatchSchema.safeParse(input)
  if (!parsed.success) throw batchRejected(fieldErrors(parsed.error.issues))
  return parsed.data
}
