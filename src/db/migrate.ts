import { createHash } from 'node:crypto'
import type { MigrationMeta } from 'drizzle-orm/migrator'
import type { Db } from '../platform/sqlite.ts'

export interface EmbeddedMigration {
  tag: string
  when: number
  breakpoints: boolean
  sql: string
}

interface Migrator {
  dialect: { migrate(m: MigrationMeta[], session: unknown, config: object): void }
  session: unknown
}

// drizzle's own migrate() reads a folder from disk, which a single executable does not have.
// Its dialect takes the same parsed entries from memory, as drizzle's expo/op-sqlite migrators do;
// it records applied hashes in __drizzle_migrations and runs pending ones in one transaction.
export function applyMigrations(db: Db, migrations: readonly EmbeddedMigration[]): void {
  const metas: MigrationMeta[] = migrations.map((m) => ({
    sql: m.sql.split('--> statement-breakpoint'),
    bps: m.breakpoints,
    folderMillis: m.when,
    hash: createHash('sha256').update(m.sql).digest('hex'),
  }))
  const inner = db as unknown as Migrator
  inner.dialect.migrate(metas, inner.session, {})
}
