// Per-test-file databases cloned from the migrated template, dropped at the end.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDatabase, type Database } from '../../src/db/client.js';
import { assertTestDatabaseName, baseTestDatabaseName, databaseUrlFor, maintenanceUrl, templateDatabaseName } from './env.js';

export interface TestDatabase extends Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { maxConnections?: number } = {}): Promise<TestDatabase> {
  const name = `${baseTestDatabaseName()}_${process.pid}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(name);
  const admin = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${templateDatabaseName()}"`);
        break;
      } catch (error) {
        // Two files cloning at the same instant can collide on the template; try again shortly.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = databaseUrlFor(name);
  const database = await createDatabase({ databaseUrl: url, maxConnections: options.maxConnections ?? 10 });
  let dropped = false;
  return {
    ...database,
    url,
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await database.close();
      const admin2 = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
      try {
        await admin2.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin2.end({ timeout: 5 });
      }
    },
  };
}
