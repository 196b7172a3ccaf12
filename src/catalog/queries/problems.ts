import { sql } from 'drizzle-orm'
import type { Db } from '../../platform/sqlite.ts'
import type { ProblemReason } from '../scanner/types.ts'
import {
  after,
  decodeCursor,
  inFolders,
  iso,
  limitOf,
  orderBy,
  type Page,
  type PageRequest,
  type SortKey,
  toPage,
} from './page.ts'

export interface ScanProblem {
  id: number
  folderId: number
  path: string
  reason: ProblemReason
  message: string
  size: number
  firstSeenAt: string
  lastSeenAt: string
}

interface Row {
  id: number
  folder_id: number
  dir: string
  name: string
  reason: ProblemReason
  message: string
  size: number
  first_seen_at: number
  last_seen_at: number
}

const KEYS: SortKey<Row>[] = [{ expr: sql`id`, of: (r) => r.id }]

export function listProblems(db: Db, q: PageRequest & { reason?: string } = {}): Page<ScanProblem> {
  const limit = limitOf(q.limit)
  const cursor = decodeCursor(q.cursor, 'problems', KEYS.length)
  const reason = q.reason === undefined ? sql`1` : sql`reason = ${q.reason}`
  const rows =
    db.all<Row>(sql`SELECT * FROM scan_problems WHERE ${inFolders(sql`folder_id`, q.folderIds)} AND ${reason}
    AND ${after(KEYS, cursor)} ORDER BY ${orderBy(KEYS)} LIMIT ${limit + 1}`)
  return toPage('problems', rows, limit, KEYS, (r) => ({
    id: r.id,
    folderId: r.folder_id,
    path: r.dir === '' ? r.name : `${r.dir}/${r.name}`,
    reason: r.reason,
    message: r.message,
    size: r.size,
    firstSeenAt: iso(r.first_seen_at) as string,
    lastSeenAt: iso(r.last_seen_at) as string,
  }))
}
