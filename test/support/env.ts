// Where the tests find PostgreSQL and Redis; TEST_DATABASE_URL / TEST_REDIS_URL override the local defaults.
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kinerja_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Only databases whose name says "test" may be created or dropped by the suite. */
export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name)) {
    throw new Error(`refusing to touch database "${name}": its name is not marked as a test database (must contain "test")`);
  }
}

export function databaseUrlFor(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function maintenanceUrl(): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = '/postgres';
  return url.toString();
}

export function baseTestDatabaseName(): string {
  const name = decodeURIComponent(new URL(TEST_DATABASE_URL).pathname.slice(1));
  assertTestDatabaseName(name);
  return name;
}

/** The migrated template of this run (global setup names it per run, so parallel runs never drop each other's). */
export const templateDatabaseName = () => process.env.KINERJA_TEST_TEMPLATE ?? `${baseTestDatabaseName()}_template`;
