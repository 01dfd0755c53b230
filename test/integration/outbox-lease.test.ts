// The outbox dispatcher's lease takes the first due rows in id order, and reaches them through the index of rows not
// done without reading the rest: behind a backlog (a burst of approvals, or every row held while Telegram was down)
// each lease read and sorted every due row to keep twenty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { leaseOutboxRows, leaseStatement } from '../../src/app/outbox-store.js';
import { refreshStatistics, rowsOf, type DbOrTx } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let t: TestDatabase;
const DONE = 20_000;
const DUE = 5_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** The scan that picks the candidates: the one on outbox that is not the update's own lookup by primary key. */
function candidateScan(plan: PlanNode): PlanNode | undefined {
  return nodesOf(plan).find((n) => n['Node Type'].endsWith('Scan') && n['Relation Name'] === 'outbox' && n['Index Name'] !== 'outbox_pkey');
}

/** The plan `explain` gives in a transaction that is rolled back (EXPLAIN ANALYZE runs the update). */
async function planIn(explain: (tx: DbOrTx) => Promise<unknown>): Promise<PlanNode> {
  class Rollback extends Error {
    constructor(readonly plan: PlanNode) {
      super('rollback');
    }
  }
  return t.db
    .transaction(async (tx) => {
      const [row] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(await explain(tx));
      throw new Rollback(row!['QUERY PLAN'][0]!.Plan);
    })
    .catch((error: unknown) => {
      if (error instanceof Rollback) return error.plan;
      throw error;
    });
}

beforeAll(async () => {
  t = await createTestDatabase({ maxConnections: 2 });
  // A year of handled rows, then the backlog: three rows leased by a dispatcher (due again in two minutes) and
  // DUE rows waiting.
  await t.db.execute(sql`insert into outbox (kind, payload, done_at, attempts)
    select 'notify', '{}'::jsonb, now() - make_interval(mins => n), 1 from generate_series(1, ${DONE}) n`);
  await t.db.execute(sql`insert into outbox (kind, payload, available_at)
    select 'notify', jsonb_build_object('n', n), now() + interval '2 minutes' from generate_series(1, 3) n`);
  await t.db.execute(sql`insert into outbox (kind, payload)
    select 'notify', jsonb_build_object('n', n) from generate_series(1, ${DUE}) n`);
  await refreshStatistics(t.db, ['outbox']);
});
afterAll(async () => t?.drop());

describe('outbox lease', () => {
  it('takes the first due rows by id, leaves the leased ones, and reads no further than it takes', async () => {
    // Rolled back, so the lease below finds the backlog as it was.
    const plan = await planIn((tx) => tx.execute(sql`explain (analyze, format json) ${leaseStatement(20, 120)}`));
    const nodes = nodesOf(plan);
    expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
    const scan = candidateScan(plan);
    expect(scan?.['Index Name']).toBe('outbox_pending_by_id_idx');
    // Twenty taken, the three leased passed over: not the 5,000 due.
    expect((scan?.['Actual Rows'] ?? Infinity) + (scan?.['Rows Removed by Filter'] ?? 0)).toBeLessThanOrEqual(40);

    const leased = await leaseOutboxRows(t.db, 20, 120);
    const first = rowsOf<{ id: number }>(
      await t.db.execute(sql`select id from outbox where done_at is null and payload ? 'n' and available_at > now() + interval '100 seconds' order by id`),
    ).map((r) => Number(r.id));
    expect(leased.map((r) => Number(r.id))).toEqual(first.slice(3));
    expect(leased[0]!.payload).toEqual({ n: 1 });
    expect(Number(leased[0]!.id)).toBe(DONE + 4);
  });

  it('keeps that plan once PostgreSQL caches the generic one', async () => {
    const { sql: text, params } = new PgDialect().sqlToQuery(leaseStatement(20, 120));
    const plan = await planIn(async (tx) => {
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare lease_probe as ${text}`));
      const args = params.length > 0 ? `(${params.map(String).join(', ')})` : '';
      return tx.execute(sql.raw(`explain (format json) execute lease_probe${args}`));
    });
    expect(nodesOf(plan).map((n) => n['Node Type'])).not.toContain('Sort');
    // Every scan of outbox by an index: the candidates by the pending rows' index, the update by primary key.
    expect(nodesOf(plan).filter((n) => n['Node Type'].endsWith('Scan') && n['Relation Name'] === 'outbox').map((n) => n['Index Name'])).toEqual([
      'outbox_pending_by_id_idx',
      'outbox_pkey',
    ]);
  });
});
