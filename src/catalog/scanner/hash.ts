import { createHash } from 'node:crypto'

/** Content id of cover art: what makes cover URLs immutable. */
export const contentId = (data: Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 32)
