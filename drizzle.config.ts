import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db/schema and committed in drizzle/; they are never edited after landing.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kinerja' },
});
