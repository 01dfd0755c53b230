// The report of notifications the outbox gave up on (/rekap terlambat) reads the given-up rows alone, by their
// partial index, however many handled rows the outbox keeps; names are looked up by primary key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { syntheticOrg } from '../../bench/org.js';
import { importRoster } from '../../src/app/import-roster.js';
import { GAVE_UP_PREFIX, undeliveredNotifications, undeliveredQuery } from '../../src/app/undelivered.js';
import { refreshStatistics, rowsOf } from '../../src/db/client.js';
import { employees } from '../../src/db/schema/index.js';
import { parseRoster } from '../../src/domain/roster.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase({ maxConnections: 2 });
  const org = syntheticOrg(2, 2);
  const parsed = parseRoster(Buffer.from(org.csv));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  await importRoster(t.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  const [atasan] = await t.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, org.atasanNips[0]!));
  // A year of handled notifications, and three given up (one meant for an id that is not an employee's).
  await t.db.execute(sql`
    insert into outbox (kind, payload, done_at, attempts)
    select 'notify', jsonb_build_object('to', ${atasan!.id}::text, 'template', 'request'), now() - make_interval(mins => n), 1
    from generate_series(1, 20000) n`);
  await t.db.execute(sql`
    insert into outbox (kind, payload, done_at, attempts, last_error) values
      ('notify', jsonb_build_object('to', ${atasan!.id}::text), now() - interval '2 hours', 9, ${`${GAVE_UP_PREFIX}403: Forbidden`}),
      ('notify', jsonb_build_object('to', ${atasan!.id}::text), now() - interval '1 hour', 9, ${`${GAVE_UP_PREFIX}502: Bad Gateway`}),
      ('notify', '{"to": "bukan-id"}'::jsonb, now(), 9, ${`${GAVE_UP_PREFIX}400: Bad Request`})`);
  await refreshStatistics(t.db, ['outbox', 'employees']);
});
afterAll(async () => t?.drop());

describe('undelivered notifications', () => {
  it('counts the given-up rows, newest first, with the recipient named when there is one', async () => {
    const { total, latest } = await undeliveredNotifications(t.db, 5);
    expect(total).toBe(3);
    expect(latest.map((n) => n.recipientNama !== null)).toEqual([false, true, true]);
    expect(latest[0]!.at.getTime()).toBeGreaterThan(latest[1]!.at.getTime());
  });

  it('reads them through the partial index of given-up rows, not the whole outbox, in its generic plan too', async () => {
    // The plan PostgreSQL caches for the prepared statement after its first runs (plan_cache_mode auto): planned
    // without the parameters' values, so the index's predicate must be matched by the statement's own text.
    const { sql: text, params } = new PgDialect().sqlToQuery(undeliveredQuery(5));
    const literal = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
    const plan = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare undelivered_probe as ${text}`));
      const [row] = rowsOf<{ 'QUERY PLAN': unknown }>(await tx.execute(sql.raw(`explain (format json) execute undelivered_probe(${params.map(literal).join(', ')})`)));
      await tx.execute(sql`deallocate undelivered_probe`);
      return row;
    });
    const scans: Array<{ node: string; relation?: string; index?: string }> = [];
    const walk = (node: Record<string, unknown>) => {
      if (node['Relation Name']) scans.push({ node: String(node['Node Type']), relation: String(node['Relation Name']), index: node['Index Name'] as string | undefined });
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk((plan!['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
    expect(scans.filter((s) => s.relation === 'outbox')).toEqual([{ node: expect.stringMatching(/Index/), relation: 'outbox', index: 'outbox_gave_up_idx' }]);
  });
});
