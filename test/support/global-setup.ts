// Vitest global setup: builds one migrated template database that every test file clones.
import postgres from 'postgres';
import { createDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { assertTestDatabaseName, baseTestDatabaseName, databaseUrlFor, maintenanceUrl } from './env.js';

export default async function setup(): Promise<() => Promise<void>> {
  // One template per run: test files (forked after this) inherit its name through the environment.
  const template = `${baseTestDatabaseName()}_tpl_${process.pid}`;
  process.env.KINERJA_TEST_TEMPLATE = template;
  assertTestDatabaseName(template);
  const admin = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${template}" with (force)`);
    await admin.unsafe(`create database "${template}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = databaseUrlFor(template);
  const database = await createDatabase({ databaseUrl: url, maxConnections: 1 });
  try {
    await migrateDatabase(database, url);
  } finally {
    await database.close();
  }
  return async () => {
    const admin2 = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
    try {
      await admin2.unsafe(`drop database if exists "${template}" with (force)`);
    } finally {
      await admin2.end({ timeout: 5 });
    }
  };
}
