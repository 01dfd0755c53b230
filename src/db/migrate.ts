// Applies the committed drizzle migrations once, under a Postgres advisory lock so concurrent boots don't race.
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Database } from './client.js';
import { findProjectFolder } from '../find-up.js';

/** drizzle/ at the project root, found upwards from this module (src/db/ under tsx, dist/ under npm start). */
export const MIGRATIONS_FOLDER = findProjectFolder(import.meta.url, 'drizzle', 'meta/_journal.json');

/** Arbitrary but fixed: "kinerja" as a 64-bit advisory lock key. */
const MIGRATION_LOCK_KEY = 0x6b696e65726a61;

export async function migrateDatabase(database: Database, databaseUrl?: string): Promise<void> {
  if (database.kind === 'postgres' && databaseUrl) {
    // A dedicated single connection, so the session-level lock and the migration share it.
    const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      try {
        await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      }
    } finally {
      await client.end({ timeout: 5 });
    }
    return;
  }
  // PGlite is single-connection and in-process: the lock is taken for symmetry and costs nothing.
  const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
  await database.db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  try {
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await database.db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  }
}
