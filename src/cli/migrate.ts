// `npm run db:migrate`: apply committed migrations to DATABASE_URL (or the embedded database).
import { ConfigError, loadDatabaseEnv } from '../config.js';
import { createDatabase } from '../db/client.js';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.js';
import { migrateDatabase } from '../db/migrate.js';

async function main(): Promise<void> {
  const { databaseUrl, dataDir } = loadDatabaseEnv();
  const database = await createDatabase({ databaseUrl, dataDir, maxConnections: 1 });
  try {
    await migrateDatabase(database, databaseUrl);
    console.log(`Migrations applied to ${database.describe}.`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy ? error.message : error);
  process.exitCode = 1;
});
