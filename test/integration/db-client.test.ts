// How the database client sends statements: prepared, so a keyed read or write is one round trip and reuses its plan
// (plan_cache_mode auto), while a cursor read is planned for its own parameters on every run (unprepared).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowBatches, rowsOf } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;

beforeAll(async () => {
  // One connection: every statement below runs in the same session, whose prepared statements can be listed.
  t = await createTestDatabase({ maxConnections: 1 });
});
afterAll(async () => t?.drop());

const prepared = async () =>
  rowsOf<{ statement: string }>(await t.db.execute(sql`select statement from pg_prepared_statements`)).map((r) => r.statement);

describe('the database client', () => {
  it('prepares keyed statements and leaves the plan to PostgreSQL', async () => {
    const [mode] = rowsOf<{ plan_cache_mode: string }>(await t.db.execute(sql`show plan_cache_mode`));
    expect(mode!.plan_cache_mode).toBe('auto');
    for (let i = 0; i < 3; i++) await t.db.execute(sql`select ${i}::int + 1 as keyed_probe`);
    expect((await prepared()).filter((s) => s.includes('keyed_probe'))).toHaveLength(1);
  });

  it('reads a cursor unprepared, so each run is planned for its own parameters', async () => {
    let rows = 0;
    for await (const batch of rowBatches<{ n: number }>(t.db, sql`select n as cursor_probe from generate_series(1, ${2500}::int) n`, 1000)) rows += batch.length;
    expect(rows).toBe(2500);
    expect((await prepared()).filter((s) => s.includes('cursor_probe'))).toEqual([]);
  });
});
