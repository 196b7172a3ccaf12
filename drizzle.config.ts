import { defineConfig } from 'drizzle-kit'

// drizzle-kit only generates migrations here (it runs under Node with better-sqlite3);
// the server applies them itself from the embedded copy in src/db/migrations.gen.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
  dbCredentials: { url: './data/drizzle-kit.db' },
})
