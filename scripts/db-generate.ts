// `npm run db:generate -- --name add_tracks`: drizzle-kit writes the migration from the schema,
// then the embedded copy the server applies is refreshed, so the two never disagree.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GENERATED_FILE, renderEmbeddedMigrations } from './embed-migrations.ts'

const kit = join(import.meta.dir, '..', 'node_modules', '.bin', 'drizzle-kit')
const r = spawnSync(kit, ['generate', ...process.argv.slice(2)], { stdio: 'inherit' })
if (r.status !== 0) process.exit(r.status ?? 1)
writeFileSync(GENERATED_FILE, renderEmbeddedMigrations())
console.log(`refreshed ${GENERATED_FILE}`)
