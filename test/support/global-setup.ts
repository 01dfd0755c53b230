// Vitest global setup: builds one migrated template database that every test file clones.
import postgres from 'postgres';
import { createDatabase } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { assertTestDatabaseName, databaseUrlFor, maintenanceUrl, templateDatabaseName } from './env.js';

export default async function setup(): Promise<void> {
  const template = templateDatabaseName();
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
}
